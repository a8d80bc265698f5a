'use strict';
// LEAK105 fixture: timers/intervals that keep big objects and a closed
// server alive. Every Poller starts `setInterval(this.tick.bind(this))` and
// holds a 64 KB-per-poller sample buffer; stop() forgets to clear the interval,
// so each stopped Poller (and its buffer) lives as long as the process.
// A closed net.Server is still referenced by a heartbeat interval.
//
//   CLEAR=1  control variant: stop() calls clearInterval, the heartbeat is
//            cleared on close, so nothing is kept by a timer.
const net = require('node:net');
const v8 = require('node:v8');

const CLEAR = process.env.CLEAR === '1';
const POLLERS = 20;

class Poller {
  constructor(id) {
    this.id = id;
    this.samples = new Array(8192).fill(id + 0.5); // ~64 KB of heap numbers' slots
    this.interval = setInterval(this.tick.bind(this), 60000);
  }
  tick() {
    this.samples.push(Date.now());
  }
  stop() {
    if (CLEAR) clearInterval(this.interval);
  }
}

function startHeartbeat(server) {
  const heartbeat = setInterval(() => {
    server.getConnections(() => {});
  }, 60000);
  server.on('close', () => {
    if (CLEAR) clearInterval(heartbeat);
  });
}

let pollers = [];
for (let i = 0; i < POLLERS; i++) pollers.push(new Poller(i));
for (const p of pollers) p.stop();
pollers = null;

// The server lives in main()'s scope only: once it is closed, the heartbeat
// interval is the only thing left that references it.
function main(done) {
  const server = net.createServer(() => {});
  server.listen(0, '127.0.0.1', () => {
    startHeartbeat(server);
    server.close(done);
  });
}

main(() => {
  setTimeout(() => {
    global.gc();
    global.gc();
    const out = v8.writeHeapSnapshot(process.env.SNAPSHOT_OUT);
    console.log(JSON.stringify({ snapshot: out, clear: CLEAR, pollers: POLLERS }));
    process.exit(0);
  }, 20);
});
