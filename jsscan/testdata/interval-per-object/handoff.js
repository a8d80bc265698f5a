// Intervals whose handle is handed to another owner (returned, resolved,
// passed to a function that keeps it) are that owner's to clear: not
// reported where they start. Modelled on next@14.2.3/15.2.0's edge sandbox
// (dist/server/web/sandbox/resource-managers.js), isotimer@1.0.0
// (dist/node/interval.js) and schedulers with a manager's add().

// Negative: a plain wrapper; the caller gets the handle.
function every(cb, ms) {
  return setInterval(cb, ms);
}
const everyArrow = (cb, ms) => setInterval(cb, ms);

// Negative: next@15.2.0, the id goes back to the sandboxed code, which
// clears it through clearInterval(id).
function webSetIntervalPolyfill(callback, ms, ...args) {
  return setInterval(() => {
    return callback.apply(globalThis, args);
  }, ms)[Symbol.toPrimitive]();
}

// Negative: isotimer@1.0.0, the Timeout is kept in a module map under its
// id, the id is returned, clear(id) clears it.
const cache = new Map();
const set = (callback, ms = 0, ...args) => {
  const timer = setInterval(callback, ms, ...args);
  const id = +timer;
  cache.set(id, timer);
  return id;
};
const clear = (id) => {
  cache.delete(id);
  clearInterval(id);
};

// Negative: returned inside an object, inside an array, in a local
// object, converted with Number().
function startPoll(state) {
  const t = setInterval(() => state.tick(), 10);
  return { timer: t, state };
}
function startPair(state, ms) {
  return [setInterval(() => state.tick(), ms), state];
}
function watch(state) {
  const handle = {};
  handle.timer = setInterval(() => state.check(), 10);
  return handle;
}
function startNumbered(state) {
  const t = setInterval(() => state.tick(), 10);
  return Number(t);
}

// Negative: one interval per item, the array of handles goes to the caller.
function pollAll(items) {
  return items.map((item) => setInterval(() => item.poll(), 1000));
}

// Negative: resolved in a promise.
function startAfter(ms, state) {
  return new Promise((resolve) => {
    setTimeout(() => resolve(setInterval(() => state.tick(), ms)), ms);
  });
}

// Negative: passed to a manager defined elsewhere, which keeps and clears it.
function schedule(registry, job) {
  registry.add(setInterval(() => job.run(), job.every));
}

// Negative: kept in the object's own set, which close() clears.
class Scheduler {
  constructor() {
    this.timers = new Set();
  }
  every(ms, fn) {
    this.track(setInterval(() => this.run(fn), ms));
  }
  track(t) {
    this.timers.add(t);
  }
  run(fn) { fn(); }
  close() {
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
  }
}

// Negative: copied to a field that close() clears.
class Sweeper {
  constructor() {
    const iv = setInterval(() => this.sweep(), 1000);
    iv.unref();
    this._iv = iv;
  }
  sweep() {}
  close() {
    clearInterval(this._iv);
  }
}

// Positive: copied to a field nothing clears (cacheable-lookup@7.0.0).
class Fallback {
  constructor() {
    const interval = setInterval(() => { // want LEAK005 "interval handle interval is never cleared"
      this.hosts.clear();
    }, 1000);
    interval.unref();
    this._fallbackInterval = interval;
  }
}

// Positive: kept in the object's own array, never cleared.
class Pool {
  constructor() {
    this.timers = [];
  }
  watch() {
    this.timers.push(setInterval(() => this.check(), 1000)); // want LEAK005 "holds `this` is never cleared"
  }
  check() {}
}

// Positive: logged, not handed to anyone.
function startTicker(state) {
  const t = setInterval(() => state.n++, 10); // want LEAK005 "closes over state"
  console.log('started', t);
}

// Positive: the function returns something else.
function poll(state) {
  setInterval(() => state.tick(), 10); // want LEAK005 "closes over state"
  return state;
}

// Positive: a string made from the id is no handle.
function label(state) {
  const t = setInterval(() => state.tick(), 10); // want LEAK005 "closes over state"
  return 'poller ' + t;
}

// Positive: the helper it is passed to only unrefs it.
function quiet(t) {
  t.unref();
}
function startQuiet(state) {
  quiet(setInterval(() => state.tick(), 10)); // want LEAK005 "closes over state"
}

// Positive: one interval per item from forEach, whose callback's value
// is discarded.
function pollEach(items) {
  items.forEach((item) => setInterval(() => item.poll(), 1000)); // want LEAK005 "closes over item"
}

// Positive: a promise executor's and a timer callback's return values are
// discarded.
function waitFor(check) {
  return new Promise((resolve) => setInterval(() => check() && resolve(), 100)); // want LEAK005 "closes over check"
}
function startLater(state) {
  setTimeout(() => setInterval(() => state.tick(), 10), 100); // want LEAK005 "closes over state"
}
