// setTimeout reached through a wrapper or an alias, as real packages do.

// @deno/shim-timers@0.1.0: an alias of the global, and the conversion of
// its result. Every timer of the shim stays in Node's id map once it fires.
const originalSetTimeout = globalThis.setTimeout;
function shimSetTimeout(cb, delay, ...args) {
  const result = originalSetTimeout(cb, delay, ...args);
  return typeof result === "number" ? result : result[Symbol.toPrimitive](); // want LEAK002 "toPrimitive"
}
const originalSetInterval = globalThis.setInterval;
function shimSetInterval(cb, delay, ...args) {
  const result = originalSetInterval(cb, delay, ...args);
  return typeof result === "number" ? result : result[Symbol.toPrimitive]();
}
const bound = setTimeout.bind(globalThis);
const boundId = +bound(() => {}, 5); // want LEAK002 "unary \+"

// @smithy/node-http-handler@4.14.2 (write-request-body): a timing object
// wraps the global; a function first is the timers' signature. The clears
// in the other listeners run after the timer fired, which does not take it
// out of the map on the affected versions: still a leak.
const timing = {
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (timeoutId) => clearTimeout(timeoutId),
};
function waitForContinue(httpRequest, ms) {
  let timeoutId = -1;
  return Promise.race([
    new Promise((resolve) => {
      timeoutId = Number(timing.setTimeout(() => resolve(true), ms)); // want LEAK002 "Number\(\)"
    }),
    new Promise((resolve) => {
      httpRequest.on("continue", () => {
        timing.clearTimeout(timeoutId);
        resolve(true);
      });
    }),
  ]);
}

// The same wrapper, cleared from inside its own callback: the workaround.
function waitCleared(ms, done) {
  const id = Number(timing.setTimeout(() => {
    timing.clearTimeout(id);
    done();
  }, ms));
  return id;
}

// Node's socket/request/server setTimeout take the milliseconds first and
// return the object itself, not a timer.
function socketTimeout(socket, req, onTimeout) {
  const a = String(socket.setTimeout(1000, onTimeout));
  const b = `${req.setTimeout(5000)}`;
  return a + b;
}
