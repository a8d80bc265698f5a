// Vitest, through the ESM entry.
import { describe, expect, test } from 'vitest';
import { assertNoLeak } from '../../index.mjs';
import shared from '../cases.cjs';

const { cases, checkFailure, options } = shared;
const timeout = 180000;

describe.each(cases.map((c) => [c.name, c]))('%s', (_, c) => {
  test('the leaky version fails with its line', async () => {
    const failure = await assertNoLeak(() => c.run(false), options).then(() => undefined, (err) => err);
    expect(checkFailure(c, failure)).toMatch(/: LEAK1\d\d /);
  }, timeout);
  test('the fixed version passes', async () => {
    await assertNoLeak(() => c.run(true), options);
  }, timeout);
});
