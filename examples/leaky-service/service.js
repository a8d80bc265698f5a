'use strict';
// A small "order service" with two real leaks, used by the README's first
// command. Run `./generate.sh` to rebuild service.heapsnapshot.gz.
//
// 1. Every request runs inside an AsyncLocalStorage context and arms a
//    timeout stored on the Order. The token is never released, so each
//    finished Timeout keeps its callback and the request's store alive.
// 2. A health poller awaits itself recursively, so every poll keeps the
//    previous suspended activation alive.
const { AsyncLocalStorage } = require('node:async_hooks');
const v8 = require('node:v8');

const requests = new AsyncLocalStorage();
const orders = [];

class RequestContext {
  constructor(id) {
    this.id = id;
    this.headers = { 'x-request-id': `req-${id}`, accept: 'application/json' };
    this.body = Buffer.alloc(256, id % 256);
  }
}

class Order {
  constructor(id) {
    this.id = id;
    this.state = 'open';
    this.expiry = setTimeout(() => {
      this.state = 'expired';
    }, 1);
  }
}

function handle(id) {
  requests.run(new RequestContext(id), () => {
    orders.push(new Order(id));
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let polls = 0;
async function pollHealth() {
  polls++;
  await sleep(1);
  await pollHealth();
}

for (let i = 0; i < 500; i++) handle(i);
pollHealth();

setTimeout(() => {
  global.gc();
  global.gc();
  v8.writeHeapSnapshot(process.env.SNAPSHOT_OUT || 'service.heapsnapshot');
  process.exit(0);
}, 400);
