'use strict';
// Intervals that keep their object alive forever.
class Cache {
  constructor() {
    this.entries = new Map();
    setInterval(() => this.evict(), 1000); // want LEAK005 "never cleared.*clear it in close\(\)"
  }
  evict() {}
  close() {
    this.entries.clear();
  }
}

class Stats {
  constructor() {
    this.timer = setInterval(this.flush.bind(this), 500); // want LEAK005 "interval stored in this.timer is never cleared"
  }
  flush() {}
}

function Legacy() {
  this.ticks = 0;
  setInterval(function () { this.ticks++; }.bind(this), 10); // want LEAK005 "never cleared"
}

class Heartbeat {
  start() {
    this.hb = setInterval(() => this.ping(), 5000).unref(); // want LEAK005 "this.hb"
  }
  ping() {}
  destroy() {
    this.destroyed = true;
  }
}
