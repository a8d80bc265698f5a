'use strict';
// LEAK101 fixture: finished Timeouts kept where the first detector version
// did not look: a bound method as the callback (no position of its own)
// and a Map as the holder (entries hang off the Map's internal table).
//   CLEAR=1  control variant: tokens dropped once the timers fire.
const v8 = require('node:v8');

const CLEAR = process.env.CLEAR === '1';
const JOBS = 50;

class Job {
  constructor(i) {
    this.buf = new Array(1000).fill(i);
    this.timeout = setTimeout(this.done.bind(this), 1);
  }
  done() {
    this.finished = true;
    if (CLEAR) this.timeout = null;
  }
}

const jobs = [];
const pending = new Map();
function start(i) {
  const payload = new Array(1000).fill(i);
  pending.set(i, setTimeout(() => {
    payload.length = 0;
    if (CLEAR) pending.delete(i);
  }, 1));
}

for (let i = 0; i < JOBS; i++) {
  jobs.push(new Job(i));
  start(i);
}

setTimeout(() => {
  global.gc();
  global.gc();
  const out = v8.writeHeapSnapshot(process.env.SNAPSHOT_OUT);
  console.log(JSON.stringify({ snapshot: out, clear: CLEAR, jobs: jobs.length, pending: pending.size }));
  process.exit(0);
}, 50);
