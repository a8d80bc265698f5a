'use strict';
// The helpers' inspector session in this process (heap profiler: GC,
// sampling, object tracking; no --expose-gc, no child process), and the
// lock that lets one measurement run at a time.

let inspector;
try {
  inspector = require('node:inspector');
} catch {
  inspector = undefined; // a node built without the inspector
}

let measuring = Promise.resolve();
let current; // { session, post }

/** This module's session ({ session, post }), opened on first use. */
function getSession() {
  current = current || connect();
  return current;
}

/**
 * Runs fn with no other measurement running: two assertions measuring at
 * once would count each other's objects, and one stopping the heap-object
 * tracking would end the other's. Not reentrant: a function measured by an
 * assertion must not run another assertion.
 */
function exclusive(fn) {
  const run = measuring.then(fn);
  measuring = run.catch(() => {});
  return run;
}

// connect opens the session the helpers keep for the life of the process:
// disconnecting (or HeapProfiler.disable) makes V8 forget the object ids,
// and the growth between a baseline and a target is found by comparing
// them. Keeping it open also leaves another client's ids alone.
function connect() {
  if (!inspector || typeof inspector.Session !== 'function') {
    throw new Error('leaklsp/testing: node:inspector is not available in this Node.js build; heap snapshots need it');
  }
  const session = new inspector.Session();
  try {
    session.connect();
  } catch (err) {
    throw new Error(`leaklsp/testing: cannot open an inspector session in this process (${err.code || err.message}); is the inspector in use or disabled?`, { cause: err });
  }
  const post = (method, params) =>
    new Promise((resolve, reject) => {
      session.post(method, params || {}, (err, res) => {
        if (err) {
          reject(new Error(`leaklsp/testing: inspector ${method} failed: ${err.message}; another inspector client may be using the heap profiler`, { cause: err }));
        } else {
          resolve(res);
        }
      });
    });
  return { session, post };
}

module.exports = { getSession, exclusive };
