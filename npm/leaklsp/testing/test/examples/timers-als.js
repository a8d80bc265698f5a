'use strict';
// LEAK101: the Timeout of every request stays in `pending` after it fired,
// and with it its callback and the request's AsyncLocalStorage store.
// fixed=true deletes the entry when the timer fires.
const { AsyncLocalStorage } = require('node:async_hooks');

const context = new AsyncLocalStorage();
const pending = new Map();
let next = 0;

/** Handles one request: waits for its timer inside the request's context. */
function handle(fixed) {
  const id = next++;
  return context.run({ id, scratch: new Array(256).fill(id) }, () =>
    new Promise((resolve) => {
      const timer = setTimeout(() => { // leak: LEAK101
        if (fixed) pending.delete(id);
        resolve();
      }, 1);
      pending.set(id, timer);
    }),
  );
}

module.exports = { handle };
