'use strict';
// The same shapes with the token released, or not kept at all.
class Job {
  constructor() {
    this.timeout = setTimeout(() => {
      this.status = 'done';
      this.timeout = null;
    }, 1);
  }
}

function local() {
  const t = setTimeout(() => {}, 10);
  return 1;
}

class Debounce {
  schedule() {
    this.t = setTimeout(() => this.flush(), 10);
  }
  flush() {
    this.t = null;
  }
}

class Rearm {
  tick() {
    this.t = setTimeout(() => this.tick(), 10);
  }
}

const timers = new Map();
function schedule(id) {
  timers.set(id, setTimeout(() => {
    timers.delete(id);
  }, 5));
}

let current;
function arm() {
  current = setTimeout(() => {
    current = undefined;
  }, 10);
}

class Del {
  go() {
    this.x = setTimeout(() => {
      delete this.x;
    }, 1);
  }
}

class Ticker {
  start() {
    this.iv = setInterval(() => this.beat(), 1000);
  }
  stop() {
    clearInterval(this.iv);
    this.iv = null;
  }
  beat() {}
}

let moduleTimer = setTimeout(() => {}, 1);

class Ignored {
  constructor() {
    // leaklsp-ignore LEAK001
    this.t = setTimeout(() => {}, 1);
    this.u = setTimeout(() => {}, 1); // leaklsp-ignore
  }
}

// Released through a this-alias, as ES5 code does.
class Old {
  start() {
    var self = this;
    this.timer = setTimeout(function () {
      self.timer = null;
      self.fire();
    }, 10);
  }
}

// An object literal's methods: the callback's this.tick() releases.
const client = {
  start() {
    this.t = setTimeout(() => this.tick(), 10);
  },
  tick() {
    this.t = null;
  },
};

// Released a few statements after the clear, or by assigning the clear.
class Conn {
  constructor() {
    this.hb = setInterval(() => this.ping(), 1000);
    this.iv = setInterval(() => this.ping(), 1000);
  }
  close() {
    clearInterval(this.hb);
    this.emit('close');
    this.hb = null;
    this.iv = clearInterval(this.iv);
  }
}
