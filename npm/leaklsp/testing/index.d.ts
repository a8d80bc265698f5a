// Types of leaklsp/testing (the same for the ESM and the CommonJS entry).

export interface AssertNoLeakOptions {
  /** Calls measured after the heap is marked (default 100). */
  iterations?: number;
  /** Calls before the baseline, to fill caches and compile code (default 5). */
  warmup?: number;
  /** Objects a site may gain over all iterations before it fails (default iterations / 2). */
  allow?: number;
  /** Directory source paths are printed relative to and mapped under (default process.cwd()). */
  root?: string;
}

export interface AssertCollectableOptions {
  /** Objects the factory creates (default 100). */
  count?: number;
  /** A full GC (the one V8 runs before a heap snapshot, its most thorough) after every this many objects (default 50). */
  snapshotEvery?: number;
  /** Directory source paths are printed relative to (default process.cwd()). */
  root?: string;
}

/**
 * Runs fn `warmup` times, marks the heap, runs it `iterations` times and
 * rejects with an AssertionError listing
 * `file:line:col: LEAKxxx message` for every allocation site that grew by
 * more than `allow` objects.
 */
export function assertNoLeak(fn: (i: number) => unknown, options?: AssertNoLeakOptions): Promise<void>;

/**
 * Creates `count` objects with factory, drops them and rejects with an
 * AssertionError that says what retains them unless every one is collected.
 */
export function assertCollectable(factory: (i: number) => object | Promise<object>, options?: AssertCollectableOptions): Promise<void>;

/**
 * Live objects of a class after a full GC (v8.queryObjects where available:
 * instances and subclass instances), or of a constructor name (heap snapshot).
 */
export function countLive(classOrName: (abstract new (...args: any[]) => unknown) | string): Promise<number>;

declare const testing: {
  assertNoLeak: typeof assertNoLeak;
  assertCollectable: typeof assertCollectable;
  countLive: typeof countLive;
};
export default testing;
