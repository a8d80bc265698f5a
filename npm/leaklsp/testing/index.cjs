'use strict';
// leaklsp/testing: leak regression tests that fail with the leaking line.
// The helpers take heap snapshots of this process through node:inspector
// and let the leaklsp binary say which source line grew and what holds it.
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const { leaklspBinary } = require('./binary.js');
const { takeSnapshot } = require('./lib/inspector.cjs');
const { withTempDir } = require('./lib/tmp.cjs');
const { check, formatText } = require('./lib/check.cjs');
const { countInSnapshot } = require('./lib/count.cjs');

function wholeNumber(name, v, min) {
  if (!Number.isInteger(v) || v < min) {
    throw new TypeError(`leaklsp/testing: ${name} must be a whole number ≥ ${min}, got ${v}`);
  }
  return v;
}

// Let the current macrotask end: V8 keeps WeakRef targets (and objects
// touched by deref) alive until the job ends, and runs FinalizationRegistry
// callbacks in a task of their own.
const nextTask = () => new Promise((resolve) => setImmediate(resolve));

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many || one + 's'}`;
}

const siteKey = (d) => `${d.code} ${d.file || d.script} ${d.range.start.line}:${d.range.start.column}`;

// grownBeyond keeps the heap findings that grew by more than allow objects
// since the baseline: a suspect already there (another test's leftovers)
// is not this function's leak. Growth per site comes from the growth
// detector (folded into a detector's finding at the same site); a finding
// without it is compared with the same finding in the baseline, which is
// analysed only then (a passing test does not pay for it).
async function grownBeyond(diags, baseline, root, allow) {
  const heap = diags.filter((d) => d.heap);
  let before;
  if (heap.some((d) => d.code !== 'LEAK120' && !(d.heap.growth > 0))) {
    before = new Map();
    for (const d of await check(['--snapshot', baseline, root])) {
      if (d.heap) before.set(siteKey(d), d.heap.count);
    }
  }
  return heap.filter((d) => {
    if (d.heap.growth > 0 || d.code === 'LEAK120') return (d.heap.growth || 0) > allow;
    return d.heap.count - (before.get(siteKey(d)) || 0) > allow;
  });
}

// describe lists the findings with a source position in full (retainer
// path and all) and, after them, the growth V8 could not place in the
// source (plain objects, arrays) in one line each: it follows from the
// located ones and would bury them.
function describe(diags, root) {
  const located = diags.filter((d) => d.file || d.script);
  if (located.length === 0) return formatText(diags, root);
  const rest = diags.filter((d) => !(d.file || d.script));
  const lines = [formatText(located, root)];
  for (const d of rest) lines.push(`(heap snapshot): ${d.code} ${d.message.split('; ')[0]}.`);
  return lines.join('\n');
}

/**
 * Runs fn warmup times, snapshots the heap, runs it iterations times,
 * snapshots again and fails when an allocation site grew by more than
 * allow objects, naming the file:line that leaks.
 */
async function assertNoLeak(fn, options = {}) {
  if (typeof fn !== 'function') throw new TypeError('leaklsp/testing: assertNoLeak needs a function');
  const iterations = wholeNumber('iterations', options.iterations ?? 100, 1);
  const warmup = wholeNumber('warmup', options.warmup ?? 5, 0);
  const allow = wholeNumber('allow', options.allow ?? Math.floor(iterations / 2), 0);
  const root = path.resolve(options.root ?? process.cwd());
  leaklspBinary(); // fail before running anything when it is missing
  for (let i = 0; i < warmup; i++) await fn(i);
  await nextTask();
  return withTempDir(async (dir) => {
    const baseline = path.join(dir, 'baseline.heapsnapshot');
    const target = path.join(dir, 'target.heapsnapshot');
    await takeSnapshot(baseline);
    for (let i = 0; i < iterations; i++) await fn(warmup + i);
    await nextTask();
    await takeSnapshot(target);
    const diags = await check(['--min-growth', String(allow + 1), '--snapshot', target, '--baseline', baseline, root]);
    const grown = await grownBeyond(diags, baseline, root, allow);
    if (grown.length === 0) return;
    throw new assert.AssertionError({
      message:
        `assertNoLeak: ${plural(grown.length, 'allocation site')} grew over ${plural(iterations, 'call')} ` +
        `(allowed: ${allow} objects per site):\n${describe(grown, root)}`,
      operator: 'assertNoLeak',
      stackStartFn: assertNoLeak,
    });
  });
}

/**
 * Creates count objects with factory, drops them, and checks that every one
 * is collected. A heap snapshot (V8's most thorough GC) is taken every
 * snapshotEvery objects and at the end; a FinalizationRegistry counts the
 * collected objects and WeakRefs confirm the ones whose finalizer is late.
 * On failure it says what retains the survivors.
 */
async function assertCollectable(factory, options = {}) {
  if (typeof factory !== 'function') throw new TypeError('leaklsp/testing: assertCollectable needs a factory function');
  const count = wholeNumber('count', options.count ?? 100, 1);
  const snapshotEvery = wholeNumber('snapshotEvery', options.snapshotEvery ?? 50, 1);
  const root = path.resolve(options.root ?? process.cwd());
  leaklspBinary();
  return withTempDir(async (dir) => {
    const baseline = path.join(dir, 'baseline.heapsnapshot');
    await nextTask();
    await takeSnapshot(baseline);
    let finalized = 0;
    const registry = new FinalizationRegistry(() => {
      finalized++;
    });
    const refs = [];
    // track holds each object only in its own frame, which is gone when it
    // returns: a suspended async frame of ours would keep the last one.
    const track = async (i) => {
      const obj = await factory(i);
      if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) {
        throw new TypeError(`leaklsp/testing: assertCollectable: factory returned ${obj === null ? 'null' : typeof obj}, not an object`);
      }
      registry.register(obj, i);
      refs.push(new WeakRef(obj));
    };
    for (let i = 0; i < count; i++) {
      await track(i);
      if ((i + 1) % snapshotEvery === 0) {
        await nextTask();
        await takeSnapshot(null);
      }
    }
    let alive = count;
    for (let round = 0; round < 3 && finalized < count; round++) {
      await nextTask();
      await takeSnapshot(null);
      await nextTask(); // the finalizers' task
      alive = refs.reduce((n, r) => n + (r.deref() === undefined ? 0 : 1), 0);
      if (alive === 0) break;
    }
    if (finalized >= count || alive === 0) return;
    await nextTask();
    const target = path.join(dir, 'target.heapsnapshot');
    await takeSnapshot(target);
    const min = Math.max(1, Math.floor(alive / 2));
    const diags = await check(['--min-growth', String(min), '--snapshot', target, '--baseline', baseline, root]);
    const grown = await grownBeyond(diags, baseline, root, min - 1);
    const why = grown.length > 0 ? `what retains them:\n${describe(grown, root)}` : 'leaklsp found no allocation site that grew by half of them.';
    throw new assert.AssertionError({
      message: `assertCollectable: ${alive} of ${plural(count, 'object')} from the factory are still alive after a full GC; ${why}`,
      operator: 'assertCollectable',
      stackStartFn: assertCollectable,
    });
  });
}

/**
 * Counts the live objects of a class after a full GC: v8.queryObjects where
 * Node has it (objects with ClassOrName.prototype on their prototype chain),
 * else the objects named ClassOrName in a heap snapshot.
 */
async function countLive(ClassOrName) {
  if (typeof ClassOrName === 'function' && typeof v8.queryObjects === 'function') {
    await nextTask();
    return v8.queryObjects(ClassOrName, { format: 'count' });
  }
  const name = typeof ClassOrName === 'function' ? ClassOrName.name : ClassOrName;
  if (typeof name !== 'string' || name === '') {
    throw new TypeError('leaklsp/testing: countLive needs a class or a constructor name');
  }
  await nextTask();
  return withTempDir(async (dir) => {
    const file = path.join(dir, 'count.heapsnapshot');
    await takeSnapshot(file);
    return countInSnapshot(fs.readFileSync(file, 'utf8'), name);
  });
}

module.exports = { assertNoLeak, assertCollectable, countLive };
