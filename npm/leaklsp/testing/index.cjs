'use strict';
// leaklsp/testing: leak regression tests that fail with the leaking line.
// The helpers sample, mark and snapshot the heap of this process through
// node:inspector and V8, and let the leaklsp binary say which source line
// grew and what holds it.
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const { leaklspBinary } = require('./binary.js');
const { nextTask } = require('./lib/task.cjs');
const { getSession, exclusive } = require('./lib/inspector.cjs');
const { startTracking } = require('./lib/tracker.cjs');
const { liveAfter } = require('./lib/sampler.cjs');
const { bytesAllocatedBy, samplingIsCheaper } = require('./lib/estimate.cjs');
const { writeSnapshot } = require('./lib/snapshot.cjs');
const { withTempDir } = require('./lib/tmp.cjs');
const { check, prime } = require('./lib/check.cjs');
const { grownSinceMark, grownBeyond, describe } = require('./lib/grown.cjs');
const { collectable } = require('./lib/collectable.cjs');
const { countInSnapshot } = require('./lib/count.cjs');
const { tracer } = require('./lib/trace.cjs');

function wholeNumber(name, v, min) {
  if (!Number.isInteger(v) || v < min) {
    throw new TypeError(`leaklsp/testing: ${name} must be a whole number ≥ ${min}, got ${v}`);
  }
  return v;
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many || one + 's'}`;
}

/**
 * Runs fn warmup times, then iterations times, and fails when an
 * allocation site grew by more than allow objects, naming the file:line
 * that leaks.
 */
async function assertNoLeak(fn, options = {}) {
  if (typeof fn !== 'function') throw new TypeError('leaklsp/testing: assertNoLeak needs a function');
  const iterations = wholeNumber('iterations', options.iterations ?? 100, 1);
  const warmup = wholeNumber('warmup', options.warmup ?? 5, 0);
  const allow = wholeNumber('allow', options.allow ?? Math.floor(iterations / 2), 0);
  const root = path.resolve(options.root ?? process.cwd());
  leaklspBinary(); // fail before running anything when it is missing
  // One loop for the warmup and the measured calls, so that its code is
  // compiled before the mark (code compiled after it counts as new).
  const calls = async (from, count) => {
    for (let i = 0; i < count; i++) await fn(from + i);
    await nextTask();
  };
  const step = tracer('assertNoLeak');
  // The first calls compile and fill caches; the last ones (up to three)
  // are measured one by one, and the most any allocated counts: a young
  // generation GC during a call can hide its bytes from the before/after
  // difference (seen on Node 22 about once in twelve runs).
  const measured = Math.min(warmup, 3);
  await calls(0, warmup - measured);
  let perCall = 0;
  for (let i = warmup - measured; i < warmup; i++) {
    perCall = Math.max(perCall, await bytesAllocatedBy(() => calls(i, 1)));
  }
  step('warmup', `${Math.round(perCall / 1024)} KB allocated by the most of the last ${measured} calls`);
  const grown = await exclusive(() => screenThenMeasure({ calls, warmup, iterations, allow, root, step, perCall }));
  if (grown.length === 0) return;
  throw new assert.AssertionError({
    message:
      `assertNoLeak: ${plural(grown.length, 'allocation site')} grew over ${plural(iterations, 'call')} ` +
      `(allowed: ${allow} objects per site):\n${describe(grown, root)}`,
    operator: 'assertNoLeak',
    stackStartFn: assertNoLeak,
  });
}

// screenThenMeasure makes the calls under the sampling profiler, which
// says how many objects they left alive at a cost that grows with what
// they allocate, not with the heap: no more than allow, and no site can
// have gained more. Otherwise (a leak, a cache filling up, or a profiler
// that another client holds) a second round of calls is measured against
// a watermark, which can say where the objects come from. Calls that
// would allocate more than the heap holds skip the screen: tracking the
// heap costs less than sampling them.
async function screenThenMeasure({ calls, warmup, iterations, allow, root, step, perCall }) {
  let live = null;
  if (samplingIsCheaper(perCall * iterations)) {
    live = await liveAfter(getSession().post, () => calls(warmup, iterations));
    step('screen', live ? `${live.fresh} new objects alive` : 'the sampling profiler is in use: tracking instead');
    if (live && live.fresh <= allow) return [];
  } else {
    step('screen', `skipped: the calls would allocate ${Math.round((perCall * iterations) / 1048576)} MB, more than the heap holds`);
  }
  const from = live ? warmup + iterations : warmup;
  return measure({ calls, warmup: from, iterations, allow, root, step });
}

// measure marks the heap, makes the calls and returns the sites that grew
// by more than allow: none when the tracker's counts show no more than
// allow new objects alive, else what the snapshot says.
async function measure({ calls, warmup, iterations, allow, root, step }) {
  await prime(); // before the mark: the first child process leaves objects behind
  const { post, session } = getSession();
  const tracking = await startTracking(post, session);
  try {
    await tracking.settle();
    step('mark', `last object id ${tracking.lastId}`);
    await calls(warmup, iterations);
    step('calls');
    let { fresh, freed } = await tracking.survivors();
    if (fresh > allow) {
      // Some of them may be bookkeeping waiting for the GC that the count
      // ran: node:test keeps every promise of a test in a Map until an
      // async_hooks destroy callback, which runs after that GC, deletes it.
      ({ fresh, freed } = await tracking.survivors());
    }
    step('count', `${fresh} new objects alive, ${freed} older ones freed`);
    if (fresh <= allow) return []; // no site can have gained more
    const again = () => calls(warmup + iterations, iterations);
    const stopTracking = () => tracking.stop();
    return await withTempDir((dir) => sitesThatGrew({ dir, again, stopTracking, lastId: tracking.lastId, freed, allow, root, step }));
  } finally {
    await tracking.stop();
  }
}

// sitesThatGrew snapshots the heap once and lets leaklsp group the objects
// allocated since the mark by site. Tracking stops as soon as the snapshot
// is written: while it runs, V8 walks the heap every 50 ms that the event
// loop turns, as it does while leaklsp analyses. A site with more than
// allow new objects grew by more than allow unless objects it had at the
// mark died meanwhile (a bounded cache replaces its entries): when the
// objects freed since the mark could account for that, the verdict comes
// from a second round of calls between two snapshots, which compares
// counts per site (with ids of their own: stopping forgot the tracked ones).
async function sitesThatGrew({ dir, again, stopTracking, lastId, freed, allow, root, step }) {
  const target = path.join(dir, 'target.heapsnapshot');
  writeSnapshot(target);
  await stopTracking();
  step('snapshot');
  const minGrowth = ['--min-growth', String(allow + 1)];
  const sure = await surelyGrown([...minGrowth, '--snapshot', target, '--baseline-last-id', String(lastId), root], allow, freed, step);
  if (sure) return sure;
  const baseline = path.join(dir, 'baseline.heapsnapshot');
  writeSnapshot(baseline);
  await again();
  const second = path.join(dir, 'second.heapsnapshot');
  writeSnapshot(second);
  step('second round');
  const out = await grownBeyond(await check([...minGrowth, '--snapshot', second, '--baseline', baseline, root]), baseline, root, allow);
  step('check', `${out.length} sites grew`);
  return out;
}

// surelyGrown runs check against the mark and returns the sites that grew
// (none: []), or null when freed objects may account for their growth. It
// is a function of its own so that nothing of its result stays alive
// during a second round, which would count it.
async function surelyGrown(args, allow, freed, step) {
  const { grown, sure } = grownSinceMark(await check(args), allow, freed);
  step('check', `${grown.length} sites with more than ${allow} new objects${sure ? '' : '; freed objects may account for them: second round'}`);
  return sure ? grown : null;
}

/**
 * Creates count objects with factory, drops them, and checks that every one
 * is collected. The GC that V8 runs before a heap snapshot (its most
 * thorough) runs every snapshotEvery objects and at the end; a
 * FinalizationRegistry counts the collected objects and WeakRefs confirm
 * the ones whose finalizer is late. On failure it says what retains the
 * survivors.
 */
async function assertCollectable(factory, options = {}) {
  if (typeof factory !== 'function') throw new TypeError('leaklsp/testing: assertCollectable needs a factory function');
  const count = wholeNumber('count', options.count ?? 100, 1);
  const snapshotEvery = wholeNumber('snapshotEvery', options.snapshotEvery ?? 50, 1);
  const root = path.resolve(options.root ?? process.cwd());
  leaklspBinary();
  const failed = await exclusive(() => collectable(factory, count, snapshotEvery, root));
  if (!failed) return;
  throw new assert.AssertionError({
    message: `assertCollectable: ${failed.alive} of ${plural(count, 'object')} from the factory are still alive after a full GC; ${failed.why}`,
    operator: 'assertCollectable',
    stackStartFn: assertCollectable,
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
    writeSnapshot(file);
    return countInSnapshot(fs.readFileSync(file, 'utf8'), name);
  });
}

module.exports = { assertNoLeak, assertCollectable, countLive };
