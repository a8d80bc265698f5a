'use strict';
// node:test: each example leak fails with its line, its fix passes.
const test = require('node:test');
const assert = require('node:assert');
const { assertNoLeak } = require('../../index.cjs');
const { cases, checkFailure, options } = require('../cases.cjs');

for (const c of cases) {
  test(`${c.name}: the leaky version fails with its line`, async () => {
    await assert.rejects(assertNoLeak(() => c.run(false), options), (err) => {
      checkFailure(c, err);
      return true;
    });
  });
  test(`${c.name}: the fixed version passes`, async () => {
    await assertNoLeak(() => c.run(true), options);
  });
}
