// Intervals converted to their id are not this leak: an interval is in
// Node's id map only while it runs, and clearInterval(id) deletes the entry
// on every Node version. Modelled on next@14.2.3's edge sandbox
// (dist/server/web/sandbox/resource-managers.js, IntervalsManager).
class IntervalsManager {
  constructor() {
    this.resources = [];
  }
  create(callback, ms) {
    // The id goes back to the caller, which clears it: not LEAK005 here.
    return setInterval(callback, ms)[Symbol.toPrimitive]();
  }
  destroy(interval) {
    clearInterval(interval);
  }
}

class Poller {
  start() {
    this.timer = setInterval(() => this.poll(), 1000);
    return 'poller ' + this.timer;
  }
  stop() {
    clearInterval(+this.timer);
    this.timer = null;
  }
}

const tick = setInterval(() => {}, 10);
const byId = {};
byId[tick] = 'tick';

// A timeout in the same file still is.
class TimeoutsManager {
  create(callback, ms) {
    return setTimeout(callback, ms)[Symbol.toPrimitive](); // want LEAK002 "toPrimitive"
  }
}
