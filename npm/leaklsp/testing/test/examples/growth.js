'use strict';
// LEAK120: a cache that is never evicted grows by one entry per call.
// fixed=true bounds it to the 16 most recent keys.
class CacheEntry {
  constructor(key) { // leak: LEAK120
    this.key = key;
    this.value = { key, hits: 0 };
  }
}

const caches = { leaky: new Map(), fixed: new Map() };
let next = 0;

/** Looks up a fresh key, caching what it computes. */
function lookup(fixed) {
  const cache = fixed ? caches.fixed : caches.leaky;
  const key = `k-${next++}`;
  cache.set(key, new CacheEntry(key));
  if (fixed && cache.size > 16) cache.delete(cache.keys().next().value);
  return cache.get(key).value;
}

module.exports = { lookup };
