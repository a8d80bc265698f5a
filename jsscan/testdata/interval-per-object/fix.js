class Cache {
  constructor() {
    setInterval(() => this.evict(), 1000); // want LEAK005 "never cleared"
  }

  evict() {}

  close() {
    this.closed = true;
  }
}

class Stats {
  constructor() {
    this.timer = setInterval(() => this.flush(), 500); // want LEAK005 "this.timer"
  }
  flush() {}
  stop() {}
}
