'use strict';
// A metrics poller that leaks (LEAK005, confirmed as LEAK105): every Poller
// starts an interval bound to itself and stop() forgets to clear it, so a
// stopped Poller and its sample buffer live as long as the process.
// load.js runs 200 of them and writes a heap snapshot; see README.md.
class Poller {
  constructor() {
    this.samples = new Array(4096).fill(0);
    this.count = 0;
    this.timer = setInterval(() => this.sample(), 60_000); // leak: LEAK105
    this.timer.unref();
  }

  sample() {
    this.samples[this.count++ % this.samples.length] = process.memoryUsage().heapUsed;
  }

  stop() {
    this.stopped = true;
  }
}

module.exports = { Poller };
