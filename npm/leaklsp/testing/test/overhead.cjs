'use strict';
// Measures assertNoLeak's overhead on a heap of a given size:
//   node test/overhead.cjs 50        # ~50 MB of live objects, 3 assertions
// Prints the heap size, each assertion's wall time and this process's CPU
// time; run it under `/usr/bin/time -f '%U %S'` to add the leaklsp child's.
// A machine shared with other work inflates wall time: compare CPU time.
const { assertNoLeak } = require('../index.cjs');

const mb = Number(process.argv[2] || 50);
const runs = Number(process.argv[3] || 3);
const keep = (globalThis.__overheadHeap = []);
while (process.memoryUsage().heapUsed < mb * 1048576) {
  const chunk = [];
  for (let i = 0; i < 10000; i++) chunk.push({ id: i, name: `item-${i}`, tags: [i & 7, i & 3] });
  keep.push(chunk);
}

(async () => {
  const heap = (process.memoryUsage().heapUsed / 1048576).toFixed(0);
  const walls = [];
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    await assertNoLeak(() => {}, { iterations: 10, warmup: 1 });
    walls.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({
    node: process.version,
    heapMB: Number(heap),
    wallMs: walls.map((w) => Math.round(w)),
    nodeCpuMsPerAssertion: Math.round((cpu.user + cpu.system) / 1000 / runs),
  }));
})();
