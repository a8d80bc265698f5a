// Intervals over closure state (factories, ES5 constructors) rather than
// `this`, modelled on node-schedule's gracefulShutdown, bottleneck's Group
// and in-memory stores.

function Store(ms) {
  const entries = new Map();
  function sweep() {
    for (const [k, e] of entries) if (e.expires < Date.now()) entries.delete(k);
  }
  setInterval(sweep, ms); // want LEAK005 "closes over sweep"
  this.get = (k) => entries.get(k);
}

function createLimiter(windowMs) {
  const hits = {};
  setInterval(() => { // want LEAK005 "closes over hits"
    for (const k in hits) delete hits[k];
  }, windowMs);
  return { hit: (k) => { hits[k] = (hits[k] || 0) + 1; } };
}

function gracefulShutdown(jobs) {
  return new Promise(function (resolve) {
    setInterval(function () { // want LEAK005 "closes over jobs"
      for (let i = 0; i < jobs.length; i++) if (jobs[i].running > 0) return;
      resolve();
    }, 500);
  });
}

// Restarting (clear, then store a new one) is no stop: nothing clears it for good.
class Group {
  autoCleanup() {
    var _this3 = this;
    clearInterval(this.interval);
    this.interval = setInterval(_asyncToGenerator(function* () { // want LEAK005 "closes over _this3"
      yield _this3.check();
    }), 1000);
  }
}

// Negative: the factory's close() clears it.
function createCache() {
  const data = new Map();
  const iv = setInterval(() => data.clear(), 1000);
  return { close: () => clearInterval(iv) };
}

// Negative: the callback clears its own local interval.
function waitIdle(pool) {
  return new Promise((resolve) => {
    const interval = setInterval(() => {
      if (pool.pending === 0) {
        clearInterval(interval);
        resolve();
      }
    }, 100);
  });
}

// Negative: a function using `this` outside any class here (agenda's
// start.js); the close path is in another file.
const start = async function () {
  this._processInterval = setInterval(processJobs.bind(this), this._processEvery);
};

// Negative: module level, on purpose for the life of the script.
setInterval(() => report(), 2000);
