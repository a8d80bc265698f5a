'use strict';
// LEAK105: every Poller starts an interval bound to itself and stop()
// forgets to clear it, so each stopped Poller and its 64 KB sample buffer
// live as long as the process. fixed=true clears it.
class Poller {
  constructor(fixed) {
    this.fixed = fixed;
    this.samples = new Array(8192).fill(0.5);
    this.interval = setInterval(this.tick.bind(this), 60000);
    this.interval.unref();
  }
  tick() { // leak: LEAK105
    this.samples.push(Date.now());
  }
  stop() {
    if (this.fixed) clearInterval(this.interval);
  }
}

/** Starts a poller and stops it. */
function pollOnce(fixed) {
  const p = new Poller(fixed);
  p.stop();
}

module.exports = { pollOnce };
