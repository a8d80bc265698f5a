'use strict';
class Cache {
  constructor() {
    this.timer = setInterval(() => this.evict(), 1000);
  }
  evict() {}
  close() {
    clearInterval(this.timer);
    this.timer = null;
  }
}

class Logger {
  constructor() {
    setInterval(() => console.log('alive'), 1000);
  }
}

const watcher = setInterval(() => {
  if (done()) clearInterval(watcher);
}, 10);

class Local {
  start() {
    const iv = setInterval(() => this.tick(), 10);
    this.stop = () => clearInterval(iv);
  }
  tick() {}
}

const timers_1 = require('timers');
class Reaper {
  start() {
    this.interval = setInterval(() => this.check(), 10);
  }
  check() {}
  stop() {
    (0, timers_1.clearInterval)(this.interval);
    this.interval = null;
  }
}

function Boom() {
  this._flushTimer = setInterval(() => this.flush(), 10);
}
function closeBoom(boom) {
  clearInterval(boom._flushTimer);
}
