'use strict';
// LEAK120 fixture: two snapshots of one process (ids are stable within a
// process, so the second can be diffed against the first by object id).
//
// Between the snapshots:
//  - `cache` grows by GROW CacheEntry objects that are never evicted (leak);
//  - `sessions` is replaced by the same number of fresh Session objects
//    (churn: new ids, stable count — must not be reported).
const v8 = require('node:v8');

const GROW = 2000;
const SESSIONS = 2000;

class CacheEntry {
  constructor(key) {
    this.key = key;
    this.value = { key, hits: 0 };
  }
}

class Session {
  constructor(id) {
    this.id = id;
    this.user = `user-${id}`;
  }
}

const cache = new Map();
let sessions = [];
let round = 0;

function handleRequests(n) {
  for (let i = 0; i < n; i++) {
    const key = `k-${round}-${i}`;
    cache.set(key, new CacheEntry(key));
  }
  sessions = [];
  for (let i = 0; i < SESSIONS; i++) sessions.push(new Session(i));
  round++;
}

function snapshot(path) {
  global.gc();
  global.gc();
  return v8.writeHeapSnapshot(path);
}

handleRequests(100);
const base = snapshot(process.env.BASELINE_OUT);
handleRequests(GROW);
const target = snapshot(process.env.TARGET_OUT);
console.log(JSON.stringify({ base, target, cache: cache.size, sessions: sessions.length }));
