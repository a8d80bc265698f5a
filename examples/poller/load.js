'use strict';
// Starts and stops POLLERS pollers, then writes a heap snapshot of this
// process to the file given as the first argument:
//   node load.js poller.heapsnapshot
const v8 = require('node:v8');
const { Poller } = require('./poller.js');

const POLLERS = 200;
for (let i = 0; i < POLLERS; i++) new Poller().stop();
v8.writeHeapSnapshot(process.argv[2] || 'poller.heapsnapshot');
