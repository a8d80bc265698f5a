'use strict';
// A service that leaks and keeps running, to be captured over the
// inspector: every Job keeps its finished Timeout (this.timeout), and the
// Timeout keeps the AsyncLocalStorage store it was created under. The
// ground truth for tests is marked LEAK101 below: the leak is reported at
// the timer's callback, the arrow function on that line.
const { AsyncLocalStorage } = require('async_hooks');

const JOBS = Number(process.env.JOBS || 2000);
// Node 12 before 12.17 has no AsyncLocalStorage: the timers leak all the same.
const requestContext = AsyncLocalStorage ? new AsyncLocalStorage() : { run: (store, fn) => fn() };

class RequestState {
  constructor(id) {
    this.requestId = `req-${id}`;
    this.scratch = new Array(256).fill(id);
  }
}

class Job {
  constructor(id) {
    this.id = id;
    this.status = 'pending';
    this.timeout = setTimeout(() => { // LEAK101
      this.status = 'done';
      completed++;
    }, 1);
  }
}

const history = [];
let completed = 0;
for (let i = 0; i < JOBS; i++) {
  requestContext.run(new RequestState(i), () => {
    history.push(new Job(i));
  });
}

// Say when every timer has fired, then stay alive for the capture.
const poll = setInterval(() => {
  if (completed < JOBS) return;
  clearInterval(poll);
  console.log(`ready ${process.pid}`);
}, 20);
setInterval(() => {}, 1 << 30);
