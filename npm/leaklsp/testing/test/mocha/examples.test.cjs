'use strict';
// Mocha.
const { assertNoLeak } = require('../../index.cjs');
const { cases, checkFailure, options } = require('../cases.cjs');

for (const c of cases) {
  describe(c.name, function () {
    this.timeout(180000);
    it('the leaky version fails with its line', async () => {
      let failure;
      await assertNoLeak(() => c.run(false), options).catch((err) => {
        failure = err;
      });
      checkFailure(c, failure);
    });
    it('the fixed version passes', async () => {
      await assertNoLeak(() => c.run(true), options);
    });
  });
}
