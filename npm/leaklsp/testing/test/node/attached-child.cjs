'use strict';
// Child of inspector.test.cjs: started with --inspect, waits until the
// parent's DevTools-protocol client is attached (a line on stdin), then runs
// a leaking assertNoLeak and prints what it threw as JSON.
const { assertNoLeak } = require('../../index.cjs');
const { all, options } = require('../cases.cjs');

const growth = all.find((c) => c.label === 'LEAK120');
process.stdin.once('data', async () => {
  let out;
  try {
    await assertNoLeak(() => growth.run(false), options);
    out = { passed: true };
  } catch (err) {
    out = { name: err.name, message: err.message };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
});
