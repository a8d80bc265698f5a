// Releases reached through indirection: private methods, .call, tsc's
// __privateMethod, a this-alias with bind, helper-wrapped callbacks,
// deleting the record that holds the token. Modelled on p-queue,
// rate-limiter-flexible, bottleneck and socket.io.

class PQueue {
  #timeoutId;
  pause(delay) {
    this.#timeoutId = setTimeout(() => {
      this.#onResume();
    }, delay);
  }
  #onResume() {
    this.#timeoutId = undefined;
  }
}

function reset() {
  this.timer = null;
}
class ViaCall {
  arm() {
    this.timer = setTimeout(() => {
      reset.call(this);
    }, 10);
  }
}

var _Down_instances, _Down_done;
class Down {
  arm() {
    this.timer = setTimeout(() => {
      __privateMethod(this, _Down_instances, _Down_done).call(this);
    }, 10);
  }
}
_Down_done = function _Down_done() {
  this.timer = null;
};

function Queue() {
  const _this = this;
  _this._wait = setTimeout(_this._process.bind(_this), 10);
}
Queue.prototype = {
  _process() {
    this._wait = null;
  },
};

class Wrapped {
  arm(counter) {
    const _this2 = this;
    this.counters[counter] = setTimeout(_asyncToGenerator(function* () {
      delete _this2.counters[counter];
      yield _this2.run();
    }), 10);
  }
}

class Storage {
  set(key, ms) {
    this._storage[key].timeoutId = setTimeout(() => {
      delete this._storage[key];
    }, ms);
  }
}

// Two calls down: the callback closes, close() calls onclose(), which resets.
class Client {
  constructor() {
    this.connectTimeout = setTimeout(() => {
      this.close();
    }, 45000);
  }
  close() {
    this.onclose();
  }
  onclose() {
    if (this.connectTimeout) {
      clearTimeout(this.connectTimeout);
      this.connectTimeout = undefined;
    }
  }
}

// A per-call deadline: the callback rejects the call's promise.
class Command {
  setTimeout(ms) {
    this._timer = setTimeout(() => {
      this.reject(new Error('Command timed out'));
    }, ms);
  }
}

// Positive: the private method it calls does not release.
class Leaky {
  #t;
  arm() {
    this.#t = setTimeout(() => this.#log(), 10); // want LEAK001 "through this.#t"
  }
  #log() {
    console.log('fired');
  }
}

// Negative: a local of a method is per-call state (chokidar's pending
// write): it lives as long as that call's closures, not as an object.
class Watcher {
  awaitWriteFinish(path, threshold) {
    let timeoutHandler;
    const poll = () => {
      timeoutHandler = setTimeout(poll, threshold);
    };
    this.pending.set(path, { cancel: () => clearTimeout(timeoutHandler) });
    timeoutHandler = setTimeout(poll, threshold);
  }
}

// Positive: a local of a factory lives as long as the object it returns
// (kafkajs's consumer).
function createConsumer() {
  let restartTimeout = null;
  const onCrash = () => {
    restartTimeout = setTimeout(() => start(), 1000); // want LEAK001 "through restartTimeout"
  };
  return {
    onCrash,
    disconnect: () => clearTimeout(restartTimeout),
  };
}
