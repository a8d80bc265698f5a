'use strict';
// Child of sampler.test.cjs: runs one assertNoLeak in a process set up to
// fool the sampling heap profiler, and prints what it threw as JSON.
//   folded: TurboFan optimizes make() before the calls (node
//     --allow-natives-syntax); unless allocation folding is off, each
//     call's Scratch and Kept are one allocation, whose first object dies.
//   shared: another inspector session samples at V8's default interval.
//   heavy: each call also allocates ~1 MB of garbage, more in all than
//     the heap holds, so assertNoLeak tracks without the screen.
//   plain: nothing special (node --heap-prof is the parent's doing).
// A second argument "fixed" drops the Kept objects (the assertion passes).
const inspector = require('node:inspector');
const { assertNoLeak } = require('../../index.cjs');

const [mode, fixed] = process.argv.slice(2);

class Scratch {
  constructor(i) {
    this.i = i;
  }
}
class Kept {
  constructor(i) { // leak: sampled
    this.i = i;
  }
}
const held = [];
let last;
let garbage;
function make(i) {
  const s = new Scratch(i); // first in the block, dies at the next call
  const k = new Kept(i);
  if (mode === 'heavy') for (let j = 0; j < 20000; j++) garbage = { j };
  last = s;
  held.push(k);
  if (fixed) held.length = 0;
}

let statusBefore;
let other; // the other session, in mode shared
(async () => {
  if (mode === 'folded') {
    const natives = (code) => new Function('f', code); // the file parses without the flag
    natives('%PrepareFunctionForOptimization(f)')(make);
    for (let i = 0; i < 1000; i++) make(i);
    held.length = 0;
    natives('%OptimizeFunctionOnNextCall(f)')(make);
    make(2);
    statusBefore = natives('return %GetOptimizationStatus(f)')(make);
  } else if (mode === 'shared') {
    other = new inspector.Session();
    other.connect();
    await new Promise((resolve, reject) => other.post('HeapProfiler.startSampling', {}, (err) => (err ? reject(err) : resolve())));
  }
  let out;
  try {
    await assertNoLeak(make, { iterations: 100, warmup: 5, root: require('node:path').resolve(__dirname, '../..') });
    out = { passed: true };
  } catch (err) {
    out = { name: err.name, message: err.message };
  }
    // V8's optimization status of make() before and after the calls: the
  // same unless V8 threw the optimized code away (then nothing was folded).
  if (mode === 'folded') {
    out.status = [statusBefore, new Function('f', 'return %GetOptimizationStatus(f)')(make)];
  }
  if (other) {
    // Its profiler must still run: the helpers did not stop it.
    out.otherSampling = await new Promise((resolve) => other.post('HeapProfiler.getSamplingProfile', {}, (err) => resolve(!err)));
  }
  process.stdout.write(JSON.stringify({ ...out, last: last.i }) + '\n');
})();
