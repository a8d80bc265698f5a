'use strict';
// The target snapshot of assertNoLeak, written by V8 itself: the inspector
// route (HeapProfiler.takeHeapSnapshot) sends the same JSON as ~100 KB
// protocol events that this process parses and writes back out, which on a
// 50 MB heap costs about a third more CPU than v8.writeHeapSnapshot for the
// same file. Both use the heap profiler's one id map, so the ids match the
// tracking watermark.
const v8 = require('node:v8');

/** Writes a heap snapshot of this process to file (a full GC runs first). */
function writeSnapshot(file) {
  try {
    v8.writeHeapSnapshot(file);
  } catch (err) {
    throw new Error(`leaklsp/testing: cannot write a heap snapshot to ${file}: ${err.message}`, { cause: err });
  }
}

module.exports = { writeSnapshot };
