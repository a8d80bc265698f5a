// Self-rescheduling timers, modelled on bull's delay timer, cron's job,
// mysql2's idle sweep and mongodb's monitor. Re-arming the field is no
// release: the last spent timer leaks where a close path clears it and
// keeps it.

class DelayedQueue {
  updateDelayTimer() {
    this.delayTimer = setTimeout(() => this.updateDelayTimer(), 1000); // want LEAK001 "through this.delayTimer"
  }
  close() {
    clearTimeout(this.delayTimer);
  }
}

// The callback re-arms through a local helper and a two-deep method chain.
class Job {
  start() {
    const arm = (t) => {
      this._timeout = setTimeout(wrapper, t); // want LEAK001 "through this._timeout"
    };
    const wrapper = () => {
      this.tick();
    };
    arm(10);
  }
  tick() { this.next(); }
  next() { this.start(); }
  stop() {
    if (this._timeout) clearTimeout(this._timeout);
  }
}

// Negative: the stop path releases after clearing, inside or after its if.
class Poller {
  schedule() {
    if (this._timeout) {
      clearTimeout(this._timeout);
    }
    this._timeout = setTimeout(() => {
      this._poll().then(() => this.schedule());
    }, 100);
  }
  stop() {
    if (this._timeout) {
      clearTimeout(this._timeout);
    }
    this._timeout = undefined;
  }
}

// Negative: re-armed forever, no stop path leaves a spent token behind.
class Sweeper {
  sweep() {
    if (this._id) {
      clearTimeout(this._id);
    }
    this._id = setTimeout(() => {
      this.purge().then(() => this.sweep());
    }, 300000);
  }
}

// Negative: the callback field (assigned in the constructor) clears its own
// timer, then re-arms in a nested callback; stop() resets.
class MonitorInterval {
  constructor(fn) {
    this.fn = fn;
    this.run = () => {
      if (this.timerId) {
        clearTimeout(this.timerId);
      }
      this.fn(() => this.reschedule(1000));
    };
  }
  reschedule(ms) {
    this.timerId = setTimeout(this.run, ms);
  }
  stop() {
    if (this.timerId) {
      clearTimeout(this.timerId);
      this.timerId = undefined;
    }
  }
}
