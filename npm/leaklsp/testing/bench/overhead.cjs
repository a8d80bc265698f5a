'use strict';
// assertNoLeak's overhead on a big live heap: one passing and one failing
// assertNoLeak and one passing and one failing assertCollectable per run,
// each timed.
//   node bench/overhead.cjs [MB] [RUNS]     # default 50 MB of live objects, 2 runs
// Prints one line per assertion: wall seconds, CPU seconds of this process
// and of the leaklsp child (Linux: /proc/self/stat), and what it did; and
// the load average, since a busy machine inflates wall time. The failing
// assertions leak one Entry per call and must name its constructor's line.
// LEAKLSP_TESTING_TRACE=1 adds the time of each step; BENCH=noleak or
// BENCH=collectable runs one helper only.
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { assertNoLeak, assertCollectable } = require('../index.cjs');

const mb = Number(process.argv[2] || 50);
const runs = Number(process.argv[3] || 2);
const keep = (globalThis.__overheadHeap = []);
while (process.memoryUsage().heapUsed < mb * 1048576) {
  const chunk = [];
  for (let i = 0; i < 10000; i++) chunk.push({ id: i, name: `item-${i}`, tags: [i & 7, i & 3] });
  keep.push(chunk);
}

class Entry {
  constructor(id) { // leak: one per failing call
    this.id = id;
  }
}
const leaked = [];
let n = 0;
const passing = () => new Entry(n++); // garbage only
const failing = () => leaked.push(new Entry(n++));
const fresh = () => new Entry(n++); // assertCollectable's factories
const kept = () => {
  const e = new Entry(n++);
  leaked.push(e);
  return e;
};

// childCPU is the CPU seconds of reaped children (utime+stime of
// /proc/self/stat's cutime, cstime), or NaN off Linux.
function childCPU() {
  try {
    const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(f[13]) + Number(f[14])) / 100; // clock ticks; USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

async function measure(kind, assertion) {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const child = childCPU();
  let outcome = 'passed';
  try {
    await assertion();
  } catch (err) {
    if (!(err instanceof assert.AssertionError)) throw err;
    const site = `bench/overhead.cjs:${leakLine}:`;
    outcome = err.message.split('\n').some((l) => l.startsWith(site)) ? `failed at ${site}` : `failed elsewhere:\n${err.message}`;
  }
  const used = process.cpuUsage(cpu);
  const s = (x) => x.toFixed(2);
  console.log(`${kind}: ${s(Number(process.hrtime.bigint() - wall) / 1e9)} s wall, ${s((used.user + used.system) / 1e6)} s cpu node, ${s(childCPU() - child)} s cpu leaklsp — ${outcome}`);
}

const leakLine = fs.readFileSync(__filename, 'utf8').split('\n').findIndex((l) => l.includes('// leak')) + 1;

(async () => {
  process.chdir(path.join(__dirname, '..')); // failure paths print relative to the package
  const used = process.memoryUsage().heapUsed / 1048576;
  console.log(`node ${process.version}, ${used.toFixed(0)} MB heap used, ${keep.length * 40000} objects; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const which = process.env.BENCH || '';
  for (let r = 0; r < runs; r++) {
    if (which !== 'collectable') {
      await measure('assertNoLeak passing', () => assertNoLeak(passing, { iterations: 100, warmup: 5 }));
      await measure('assertNoLeak failing', () => assertNoLeak(failing, { iterations: 100, warmup: 5 }));
    }
    if (which !== 'noleak') {
      await measure('assertCollectable passing', () => assertCollectable(fresh, { count: 100, snapshotEvery: 50 }));
      await measure('assertCollectable failing', () => assertCollectable(kept, { count: 100, snapshotEvery: 50 }));
    }
  }
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
})();
