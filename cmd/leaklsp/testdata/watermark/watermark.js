'use strict';
// Takes a watermark baseline the way leaklsp/testing does (the inspector's
// heap-object tracking reports the last object id), grows a cache, writes
// one snapshot and prints {"lastId": N, "snapshot": FILE}.
//   BEFORE CacheEntry objects exist at the baseline, GROW more are added.
const inspector = require('node:inspector');
const path = require('node:path');
const v8 = require('node:v8');

const BEFORE = 40;
const GROW = 300;

class CacheEntry {
  constructor(key) { // LEAK120: BEFORE → BEFORE+GROW
    this.key = key;
  }
}

const cache = new Map();
const add = (n) => {
  for (let i = 0; i < n; i++) cache.set(`k${cache.size}`, new CacheEntry(cache.size));
};

const session = new inspector.Session();
session.connect();
const post = (method, params) =>
  new Promise((resolve, reject) => session.post(method, params || {}, (err, res) => (err ? reject(err) : resolve(res))));

(async () => {
  add(BEFORE);
  // The tracking timer reports lastSeenObjectId once the event loop turns.
  const mark = new Promise((resolve) => session.once('HeapProfiler.lastSeenObjectId', (m) => resolve(m.params.lastSeenObjectId)));
  await post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: false });
  const lastId = await mark;
  add(GROW);
  const snapshot = v8.writeHeapSnapshot(path.join(process.argv[2], 'target.heapsnapshot'));
  await post('HeapProfiler.disable');
  session.disconnect();
  console.log(JSON.stringify({ lastId, snapshot, before: BEFORE, grow: GROW }));
})();
