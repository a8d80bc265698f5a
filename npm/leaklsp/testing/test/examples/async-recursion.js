'use strict';
// LEAK103: a message pump that awaits itself for the next message. No
// activation ever finishes, so every message adds a suspended async frame
// and a promise to a chain that only grows. fixed=true pumps in a loop.
function makeQueue() {
  const waiting = [];
  const ready = [];
  return {
    push(msg) {
      const w = waiting.shift();
      if (w) w(msg);
      else ready.push(msg);
    },
    next() {
      if (ready.length > 0) return Promise.resolve(ready.shift());
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

async function pump(queue) { // leak: LEAK103
  const msg = await queue.next();
  msg.done();
  await pump(queue);
}

async function pumpLoop(queue) {
  for (;;) {
    const msg = await queue.next();
    msg.done();
  }
}

const pumps = {};

/** Sends one message through the pump and waits until it is handled. */
function send(fixed) {
  const key = fixed ? 'fixed' : 'leaky';
  if (!pumps[key]) {
    pumps[key] = makeQueue();
    (fixed ? pumpLoop : pump)(pumps[key]);
  }
  return new Promise((resolve) => pumps[key].push({ done: resolve }));
}

module.exports = { send };
