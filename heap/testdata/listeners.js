'use strict';
// LEAK110 fixture: one listener closure per request is added to a
// long-lived event bus and never removed, so every request's state stays
// reachable through its closure context:
//   bus._events.config -> [i] onConfig -> context -> req
//
//   OFF=1  control variant: the listener is removed when the request ends.
const { EventEmitter } = require('node:events');
const v8 = require('node:v8');

const OFF = process.env.OFF === '1';
const REQUESTS = 2000;

const bus = new EventEmitter();
bus.setMaxListeners(0);

function handle(id) {
  const req = { id, headers: { host: 'example.test', id: String(id) }, body: new Array(64).fill(id) };
  const onConfig = (cfg) => {
    req.headers.config = cfg;
  };
  bus.on('config', onConfig);
  // ... the request finishes ...
  if (OFF) bus.off('config', onConfig);
}

// BASELINE_OUT=file also writes a snapshot after the first BASELINE
// requests: the growth detector's numbers then fold into the LEAK110
// finding at the same site (one finding, not two).
const BASELINE = 500;
for (let i = 0; i < REQUESTS; i++) {
  if (i === BASELINE && process.env.BASELINE_OUT) {
    global.gc();
    global.gc();
    v8.writeHeapSnapshot(process.env.BASELINE_OUT);
  }
  handle(i);
}

setTimeout(() => {
  global.gc();
  global.gc();
  const out = v8.writeHeapSnapshot(process.env.SNAPSHOT_OUT);
  console.log(JSON.stringify({ snapshot: out, off: OFF, listeners: bus.listenerCount('config') }));
  process.exit(0);
}, 10);
