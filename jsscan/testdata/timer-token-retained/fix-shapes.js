// Clears where a release statement cannot simply follow the call: the fix
// releases in the callback and leaves these clears alone, so the file
// still parses after --fix.
class Guarded {
  start() {
    this.t = setTimeout(() => { // want LEAK001 "this.t"
      this.fire();
    }, 5);
  }
  stop() {
    if (this.t) clearTimeout(this.t)
    else this.log('none');
  }
}

class Handlers {
  constructor() {
    this.t = setTimeout(() => { // want LEAK001 "this.t"
      this.fire();
    }, 1000);
    this.cancel = () => clearTimeout(this.t);
    this.on('close', () => this.t && clearTimeout(this.t));
  }
}

class Later {
  start() {
    this.hb = setInterval(() => this.beat(), 1000);
  }
  stop() {
    clearInterval(this.hb);
    this.emit('stopped');
    this.hb = null;
  }
}

class Timers {
  add(id) {
    this.timers[id] = setTimeout(() => { this.run(id); }, 10); // want LEAK001 "this.timers\[id\]"
  }
}
