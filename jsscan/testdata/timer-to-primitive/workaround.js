// Code that already works around nodejs/node#53335: the callback clears its
// own id (directly, in a finally, or through a function it calls), which
// takes the id out of Node's map when the timer fires. Modelled on queue@6.

function wrapped(work, ms) {
  const id = +setTimeout(() => {
    try {
      work();
    } finally {
      clearTimeout(id);
    }
  }, ms);
  return id;
}

function Queue() {
  this.timers = {};
}
Queue.prototype.run = function (job, timeout) {
  var self = this;
  var timeoutId = null;
  function next() {
    if (timeoutId !== null) {
      delete self.timers[timeoutId];
      clearTimeout(timeoutId);
    }
  }
  timeoutId = setTimeout(function () {
    next();
  }, timeout);
  this.timers[timeoutId] = timeoutId;
  job(next);
};

// Positive: the callback never clears, so a fired timer stays in the map.
function leaky(work, ms) {
  const id = +setTimeout(() => work(), ms); // want LEAK002 "unary \+"
  return id;
}

// next@15.2.0's edge sandbox (vercel/next.js#75727): the callback is
// wrapped in a function declared before the timer, which clears the timer
// in a finally; the conversion is of the variable, returned.
function webSetTimeoutPolyfill(callback, ms, ...args) {
  const wrappedCallback = () => {
    try {
      return callback.apply(globalThis, args);
    } finally {
      clearTimeout(timeout);
    }
  };
  const timeout = setTimeout(wrappedCallback, ms);
  return timeout[Symbol.toPrimitive]();
}

// The same conversion without the finally (next@14.2.3) leaks.
function webSetTimeoutLeaky(callback, ms, ...args) {
  const timeout = setTimeout(() => callback.apply(globalThis, args), ms);
  return timeout[Symbol.toPrimitive](); // want LEAK002 "toPrimitive"
}

// The id or the timer kept on this, cleared by the callback through this.
class Debouncer {
  schedule(fn, ms) {
    this.timerId = +setTimeout(() => {
      clearTimeout(this.timerId);
      fn();
    }, ms);
  }
}
class Reminder {
  arm(fn, ms) {
    this.timer = setTimeout(() => {
      try {
        fn();
      } finally {
        clearTimeout(this.timer);
        this.timer = null;
      }
    }, ms);
    return `${this.timer}`;
  }
}
// Another object's field of the same name is another place.
class Ticker {
  arm(fn, ms) {
    this.timerId = +setTimeout(() => fn(), ms); // want LEAK002 "unary \+"
  }
}
