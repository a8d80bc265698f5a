// capture-app.js is the process bench/capture.sh captures: a service that
// has cached about TARGET_MB of session records (strings, arrays, a Date, a
// closure over its own context, a Map every 8th), the mix a leaking Node
// service holds. It then waits for the bench: on SIGUSR2 it writes a
// snapshot with Node's own v8.writeHeapSnapshot() and prints how long that
// took, so both ways of snapshotting measure the same heap.
//
// usage: node --inspect=127.0.0.1:0 --max-old-space-size=4096 capture-app.js TARGET_MB OUTDIR
'use strict';
const v8 = require('v8');
const path = require('path');

const targetMB = Number(process.argv[2] || 1024);
const outDir = process.argv[3] || '.';

// On globalThis: a module-level const that no closure uses would be
// garbage once this script's body returns.
const cache = globalThis.sessionCache = new Map();
let prev = null;

function makeHandler(session) {
  const state = { calls: 0 };
  return function onRequest(req) { state.calls++; return session.id + req; };
}

function makeSession(i) {
  const s = {
    id: i,
    user: 'user-' + (i * 7919 % 1000003) + '@example.com',
    token: (i * 2654435761 >>> 0).toString(36).repeat(4) + i,
    payload: JSON.stringify({ cart: [i, i + 1, i + 2], note: 'n'.repeat(400 + i % 800) + i }),
    latencies: Array.from({ length: 64 }, (_, k) => (i + k) * 0.25),
    tags: ['web', i % 2 ? 'eu' : 'us', i],
    createdAt: new Date(1700000000000 + i),
    prev,
  };
  s.onRequest = makeHandler(s);
  if (i % 8 === 0) s.extra = new Map([['k' + i, s.tags], [i, s.payload]]);
  return s;
}

let i = 0;
while (process.memoryUsage().heapUsed < targetMB * 1024 * 1024) {
  for (let k = 0; k < 10000; k++, i++) {
    const s = makeSession(i);
    prev = i % 1000 === 999 ? null : s;
    cache.set(s.token, s);
  }
}
// The handler goes first: the bench signals as soon as it reads "ready".
let round = 0;
process.on('SIGUSR2', () => {
  const file = path.join(outDir, `node-${round++}.heapsnapshot`);
  const t0 = process.hrtime.bigint();
  v8.writeHeapSnapshot(file);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`wrote ${file} ms=${ms.toFixed(0)}`);
});
const mu = process.memoryUsage();
console.log(`ready sessions=${i} heapUsed=${(mu.heapUsed / 1048576).toFixed(0)}MB rss=${(mu.rss / 1048576).toFixed(0)}MB`);

setInterval(() => {}, 1 << 30); // keep the service alive
