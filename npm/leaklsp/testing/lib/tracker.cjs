'use strict';
// assertNoLeak's baseline as a watermark instead of a heap snapshot. V8's
// heap-object tracking (HeapProfiler.startTrackingHeapObjects) walks the
// heap once and gives every live object an id; ids come from one counter,
// so whatever is allocated later gets a higher one. While tracking, the
// inspector pushes statistics every 50 ms of event-loop time: the last id
// assigned (the watermark) and, per range of ids, how many objects are
// still alive. That says without any snapshot how many objects allocated
// after the mark survived, and how many that existed at the mark died; one
// snapshot then says where the survivors come from (leaklsp check
// --baseline-last-id).
//
// Tracking is stopped with HeapProfiler.disable, the only way that does not
// take a snapshot (stopTrackingHeapObjects takes one); it also makes V8
// forget the object ids, which nothing needs once the assertion is over.
//
// The tracker allocates little while it waits: whatever of its own is alive
// at the mark and dies later counts as freed, and whatever it allocates
// after the mark and still holds counts as new.
const { setInterval, clearInterval } = require('node:timers');

// A push comes 50 ms after the previous one, once the event loop turns; a
// minute without one means the inspector stopped sending them.
const pushTimeout = 60000;

class Tracker {
  constructor(post, session) {
    this.post = post;
    this.session = session;
    this.counts = []; // live objects per id range, as last pushed
    this.atMark = [];
    this.ranges = 0;
    this.lastId = 0;
    this.waiting = null; // { resolve, reject } of the caller waiting for a push
    this.lastPush = Date.now();
    this.onStats = (m) => {
      const u = m.params.statsUpdate;
      for (let i = 0; i + 2 < u.length; i += 3) this.counts[u[i]] = u[i + 1];
    };
    this.onLastId = (m) => {
      this.lastPush = Date.now();
      const w = this.waiting;
      this.waiting = null;
      if (w) w.resolve(m.params.lastSeenObjectId);
    };
    // One ref'd timer for the whole measurement keeps the process up while
    // it waits for a push, and gives up when none comes.
    this.guard = setInterval(() => {
      if (this.waiting && Date.now() - this.lastPush > pushTimeout) {
        const w = this.waiting;
        this.waiting = null;
        w.reject(new Error(`leaklsp/testing: the inspector sent no heap statistics for ${pushTimeout / 1000} s while tracking heap objects`));
      }
    }, pushTimeout / 4);
    session.on('HeapProfiler.heapStatsUpdate', this.onStats);
    session.on('HeapProfiler.lastSeenObjectId', this.onLastId);
  }

  push() {
    this.lastPush = Date.now();
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /** Starts tracking; resolves once the first push gave the watermark. */
  async mark() {
    // Code compiled after the mark would count as new: compile what runs
    // after it now (V8 compiles a function on its first call).
    await this.survivors(Promise.resolve());
    await this.settle(Promise.resolve());
    await this.post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: false });
    this.lastId = await this.push();
    this.ranges = this.counts.length; // another client may have ranges of its own before ours
  }

  /**
   * Resolves on the next push, whose counts the later ones are compared
   * with. A call of its own, once mark() (and startTracking) returned:
   * what was alive at the mark and dies later counts as freed, and the
   * frames and promises that waited for the mark are gone by this push,
   * while what this call allocates is newer than the mark.
   */
  async settle(pushed = this.push()) {
    await pushed;
    this.atMark = this.counts.slice(0, this.ranges);
  }

  /**
   * After the next push: fresh, the objects allocated after the mark that
   * are alive; freed, the objects alive at the mark that are gone.
   */
  async survivors(pushed = this.push()) {
    await pushed;
    let fresh = 0;
    let freed = 0;
    for (let i = 0; i < this.counts.length; i++) {
      if (i < this.atMark.length) freed += (this.atMark[i] || 0) - (this.counts[i] || 0);
      else fresh += this.counts[i] || 0;
    }
    return { fresh, freed: Math.max(0, freed) };
  }

  /** Stops tracking (and V8 forgets the ids); once, however often called. */
  async stop() {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.guard);
    this.session.removeListener('HeapProfiler.heapStatsUpdate', this.onStats);
    this.session.removeListener('HeapProfiler.lastSeenObjectId', this.onLastId);
    await this.post('HeapProfiler.disable');
  }
}

/** Starts tracking on session: a Tracker whose mark() has resolved; settle() it next. */
async function startTracking(post, session) {
  const t = new Tracker(post, session);
  try {
    await t.mark();
  } catch (err) {
    await t.stop().catch(() => {});
    throw err;
  }
  return t;
}

module.exports = { startTracking };
