'use strict';
// nextTask lets the current macrotask end: V8 keeps WeakRef targets (and
// objects touched by deref) alive until the job ends, runs
// FinalizationRegistry callbacks in a task of their own, and Node runs
// async_hooks destroy callbacks after the GC that freed their resource.
const { setImmediate } = require('node:timers'); // not the global: fake timers replace it

const nextTask = () => new Promise((resolve) => setImmediate(resolve));

module.exports = { nextTask };
