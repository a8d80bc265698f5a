'use strict';
// LEAK110: every request adds a listener to a long-lived bus and never
// removes it; each listener closure keeps its request alive. fixed=true
// removes it when the request ends.
const { EventEmitter } = require('node:events');

const bus = new EventEmitter();
bus.setMaxListeners(0);

/** Handles one request that listens for configuration changes while it runs. */
function handle(id, fixed) {
  const req = { id, headers: { host: 'example.test' }, body: new Array(64).fill(id) };
  const onConfig = (cfg) => { // leak: LEAK110
    req.headers.config = cfg;
  };
  bus.on('config', onConfig);
  if (fixed) bus.off('config', onConfig);
}

module.exports = { handle };
