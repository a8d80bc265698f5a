'use strict';
// Heap snapshots of this process through node:inspector: no --expose-gc,
// no child process. One session at a time: the helpers queue behind a lock
// so two assertions running concurrently do not interleave their chunks,
// and a whole measurement (baseline to target) runs under another one.
const fs = require('node:fs');

let inspector;
try {
  inspector = require('node:inspector');
} catch {
  inspector = undefined; // a node built without the inspector
}

let queue = Promise.resolve();
let measuring = Promise.resolve();
let current; // { session, post }

/** This module's session ({ session, post }), opened on first use. */
function getSession() {
  current = current || connect();
  return current;
}

/** Runs fn(post, session) on this module's session, one caller at a time. */
function withSession(fn) {
  const run = queue.then(() => {
    const { post, session } = getSession();
    return fn(post, session);
  });
  queue = run.catch(() => {});
  return run;
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

const flushAt = 4 << 20;

/**
 * Takes a heap snapshot into file (or throws it away when file is null: a
 * snapshot is V8's most thorough GC, used here only for that). A full GC
 * runs first, so the snapshot holds only what is reachable.
 */
function takeSnapshot(file) {
  return withSession(async (post, session) => {
    let fd = file ? fs.openSync(file, 'w') : -1;
    let parts = [];
    let size = 0;
    const flush = () => {
      if (fd >= 0 && parts.length > 0) fs.writeSync(fd, parts.join(''));
      parts = [];
      size = 0;
    };
    const onChunk = (m) => {
      if (fd < 0) return;
      parts.push(m.params.chunk);
      size += m.params.chunk.length;
      if (size >= flushAt) flush();
    };
    session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
    try {
      await post('HeapProfiler.collectGarbage');
      await post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      flush();
    } finally {
      session.removeListener('HeapProfiler.addHeapSnapshotChunk', onChunk);
      if (fd >= 0) fs.closeSync(fd);
      fd = -1;
    }
  });
}

module.exports = { takeSnapshot, withSession, getSession, exclusive };
