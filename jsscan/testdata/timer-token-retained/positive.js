'use strict';
// Timer tokens kept on long-lived objects and never released.
class Job {
  constructor() {
    this.timeout = setTimeout(() => { // want LEAK001 "finished Timeout stays reachable through this.timeout"
      this.status = 'done';
    }, 1);
  }
}

class Poller {
  start() {
    this.handle = setTimeout(this.tick.bind(this), 10); // want LEAK001 "through this.handle"
  }
  tick() {
    this.count++;
  }
}

const timers = new Map();
function schedule(id) {
  timers.set(id, setTimeout(() => run(id), 5)); // want LEAK001 "through timers"
}

const pending = [];
function later(fn) {
  pending.push(setTimeout(fn, 1)); // want LEAK001 "through pending"
}

let current;
function arm() {
  current = setTimeout(() => { // want LEAK001 "through current"
    console.log('fired');
  }, 10);
}

class Ticker {
  start() {
    this.iv = setInterval(() => this.beat(), 1000); // want LEAK001 "cleared interval stays reachable through this.iv"
  }
  stop() {
    clearInterval(this.iv);
  }
  beat() {}
}

class Unref {
  constructor() {
    this.t = globalThis.setTimeout(() => {}, 1).unref(); // want LEAK001 "through this.t"
  }
}
