'use strict';
// assertCollectable's work: make objects, drop them, and see that the GC
// takes every one; when some survive, say what retains them.
//
// The GC is the inspector's HeapProfiler.collectGarbage, the same "collect
// all available garbage" that V8 runs before it writes a heap snapshot
// (current V8 runs both from a task, with no JavaScript stack), without
// the snapshot: on a 50 MB heap a snapshot costs seconds, the GC a tenth of
// one. Nothing is snapshotted unless objects survive; then a second round
// of objects is made under a watermark and one snapshot says which site
// they come from and what holds them.
const path = require('node:path');
const { getSession } = require('./inspector.cjs');
const { nextTask } = require('./task.cjs');
const { startTracking } = require('./tracker.cjs');
const { writeSnapshot } = require('./snapshot.cjs');
const { withTempDir } = require('./tmp.cjs');
const { check, prime } = require('./check.cjs');
const { grownSinceMark, describe } = require('./grown.cjs');

const collectGarbage = () => getSession().post('HeapProfiler.collectGarbage');

/**
 * Makes count objects with factory(from + i) and returns how many are alive
 * after full GCs: one every gcEvery objects and up to three at the end. An
 * object counts as collected when its finalizer ran or its WeakRef is
 * empty, so a late finalizer is no survivor. The registry and the WeakRefs
 * die with this call; only what the factory's objects are held by stays.
 */
async function survivors(factory, from, count, gcEvery) {
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
    await track(from + i);
    if ((i + 1) % gcEvery === 0) {
      await nextTask();
      await collectGarbage();
    }
  }
  let alive = count;
  for (let round = 0; round < 3 && finalized < count; round++) {
    await nextTask();
    await collectGarbage();
    await nextTask(); // the finalizers' task
    alive = refs.reduce((n, r) => n + (r.deref() === undefined ? 0 : 1), 0);
    if (alive === 0) break;
  }
  return finalized >= count ? 0 : alive;
}

/**
 * Runs a second round of count objects under a watermark and says what
 * retains its survivors: the sites with at least half of them as new
 * objects in one snapshot, with their retainer paths. The first round's
 * survivors are older than any mark taken now; the second round's are the
 * same objects made the same way.
 */
async function whatRetains(factory, count, gcEvery, root) {
  await prime(); // before the mark: the first child process leaves objects behind
  const { post, session } = getSession();
  const tracking = await startTracking(post, session);
  try {
    await tracking.settle();
    const alive = await survivors(factory, count, count, gcEvery);
    if (alive === 0) return 'a second round of objects was all collected, so leaklsp had nothing to show.';
    const min = Math.max(1, Math.floor(alive / 2));
    return await withTempDir(async (dir) => {
      await nextTask();
      const target = path.join(dir, 'target.heapsnapshot');
      writeSnapshot(target);
      await tracking.stop(); // no heap walks every 50 ms while leaklsp runs
      const diags = await check(['--min-growth', String(min), '--snapshot', target, '--baseline-last-id', String(tracking.lastId), root]);
      const { grown } = grownSinceMark(diags, min - 1, 0);
      return grown.length > 0 ? `what retains them:\n${describe(grown, root)}` : 'leaklsp found no allocation site that grew by half of them.';
    });
  } finally {
    await tracking.stop();
  }
}

/**
 * Resolves null when every object of count made by factory is collected,
 * else { alive, why }: how many survived and what retains them.
 */
async function collectable(factory, count, gcEvery, root) {
  await nextTask();
  const alive = await survivors(factory, 0, count, gcEvery);
  if (alive === 0) return null;
  return { alive, why: await whatRetains(factory, count, gcEvery, root) };
}

module.exports = { collectable };
