'use strict';
// Async recursion that never unwinds.
let depth = 0;
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function task() {
  depth++;
  await sleep(2);
  await task(); // want LEAK003 "awaits a call to itself \(task\)"
}

class Poller {
  async poll() {
    await this.fetch();
    if (this.running) await this.poll(); // want LEAK003 "awaits a call to itself \(this.poll\)"
  }
  async fetch() {}
}

const loop = async () => {
  await sleep(1);
  return loop(); // want LEAK003 "returns a call to itself \(loop\)"
};

function* run() {
  yield sleep(1);
  yield run(); // want LEAK003 "generator yields a call to itself \(run\)"
}

class Worker {
  async work() {
    const next = new Worker();
    await next.work(); // want LEAK003 "next.work"
  }
}

async function connect(url) {
  try {
    await open(url);
  } catch (err) {
    await sleep(1000);
    return connect(url); // want LEAK003 "connect"
  }
}

// Retrying from a catch block after a wait is a poll loop: it can run for
// as long as the peer is down.
class Reconnector {
  async connect() {
    try {
      return await this.open();
    } catch (err) {
      await new Promise((resolve) => setTimeout(resolve, this.backoffMs));
      return await this.connect(); // want LEAK003 "this.connect"
    }
  }
}

async function reconnect(url) {
  try {
    await open(url);
  } catch (err) {
    await delay(500);
    await reconnect(url); // want LEAK003 "reconnect"
  }
}

// A class field holding an arrow is a method whose `this` is the instance.
class FieldPoller {
  poll = async () => {
    await sleep(100);
    await this.poll(); // want LEAK003 "this.poll"
  };
}
