// gen-large.js writes a large, realistic V8 heap snapshot for the heap
// benchmark: a long-lived registry of small records, each with a string,
// an array, a closure over its own context and (every 10th) a Map, linked in
// short chains, as a leaking service would hold them.
//
// usage: node --max-old-space-size=8192 gen-large.js OUT.heapsnapshot [UNITS [BASELINE.heapsnapshot]]
// With BASELINE, a first snapshot is written after half the units (the same
// process, so the growth detector can compare object ids).
// 1,220,000 units (the default) give ~10.6 M nodes, ~40 M edges, ~890 MB
// (measured with node 20: 8.7 nodes, 33 edges and 73 bytes of file per unit).
'use strict';
const v8 = require('v8');

const out = process.argv[2];
const units = Number(process.argv[3] || 1220000);
if (!out) {
  console.error('usage: node gen-large.js OUT.heapsnapshot [UNITS]');
  process.exit(2);
}

function makeClosure(record) {
  const local = { hits: 0 };
  return function onTick() { local.hits++; return record.id; };
}

const baselineOut = process.argv[4];
const registry = [];
let prev = null;
for (let i = 0; i < units; i++) {
  if (baselineOut && i === Math.floor(units / 2)) {
    globalThis.registry = registry;
    v8.writeHeapSnapshot(baselineOut);
  }
  const record = { id: i, name: 'item-' + i, prev, tags: [i, i + 1, 'tag'] };
  record.fn = makeClosure(record);
  if (i % 10 === 0) {
    const m = new Map();
    m.set('k' + i, record);
    m.set(i, record.tags);
    record.index = m;
  }
  prev = i % 1000 === 999 ? null : record;
  registry.push(record);
}
globalThis.registry = registry;

const start = Date.now();
v8.writeHeapSnapshot(out);
console.error(`wrote ${out} in ${((Date.now() - start) / 1000).toFixed(1)} s (${units} units)`);
