'use strict';
// Jest (run with transform: {} so the example files keep their lines).
const { assertNoLeak } = require('../../index.cjs');
const { cases, checkFailure, options } = require('../cases.cjs');

const timeout = 180000;

describe.each(cases.map((c) => [c.name, c]))('%s', (_, c) => {
  test('the leaky version fails with its line', async () => {
    let failure;
    await assertNoLeak(() => c.run(false), options).catch((err) => {
      failure = err;
    });
    checkFailure(c, failure);
  }, timeout);
  test('the fixed version passes', async () => {
    await assertNoLeak(() => c.run(true), options);
  }, timeout);
});
