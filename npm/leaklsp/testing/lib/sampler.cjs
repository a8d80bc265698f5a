'use strict';
// assertNoLeak's first look at the calls: V8's sampling heap profiler with a
// one-byte interval records every object allocated while it runs, with the
// JavaScript stack that allocated it, and drops the ones the GC frees.
// After the calls and a full GC, the samples left are the objects the calls
// allocated that are still alive. That costs a microsecond or two per
// allocation and nothing per object already in the heap, where heap-object
// tracking walks the whole heap several times (on a 50 MB heap, over two
// seconds, most of it giving a million objects their ids).
//
// Two things would make it count too few, and both are dealt with:
// - Allocation folding: optimized code allocates several objects as one
//   block, the profiler samples the block's first object only, and loses
//   the others when that one dies. Loading this module turns folding off in
//   TurboFan and Maglev for the code they optimize from then on (code
//   optimized earlier keeps it: load leaklsp/testing before what it tests).
// - Another user of the sampling profiler (node --heap-prof, DevTools):
//   V8 has one, at the interval its first user chose, and stopping it is
//   stopping theirs. When one runs, the caller falls back to tracking; and
//   a probe of ours allocates a known number of objects during the calls,
//   which the profile must all hold, or the caller falls back too.
const path = require('node:path');
const { fileURLToPath } = require('node:url');
const v8 = require('node:v8');

// Folding off for everything optimized after this line. Maglev's own flag
// exists from V8 13 (Node 24); setting an unknown flag prints an error.
v8.setFlagsFromString('--no-turbo-allocation-folding');
if (Number(process.versions.v8.split('.')[0]) >= 13) v8.setFlagsFromString('--maglev-allocation-folding=0');

const probeCount = 32;
const here = path.resolve(__dirname, '..');
const ownFiles = new Set(['index.cjs', 'index.mjs', 'binary.js'].map((f) => path.join(here, f)));
const libDir = __dirname + path.sep;

// filePath turns a profile's script URL into a path ('' for builtins).
function filePath(url) {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return url;
    }
  }
  return url;
}

const internal = (url) => url === '' || url.startsWith('node:');
const ours = (url) => {
  const p = filePath(url);
  return ownFiles.has(p) || p.startsWith(libDir);
};

// probeObjects allocates the probe: probeCount objects kept alive by the
// caller until the profile is read.
function probeObjects() {
  const objs = new Array(probeCount);
  for (let i = 0; i < probeCount; i++) objs[i] = { probe: i };
  return objs;
}

/**
 * Counts a sampling profile's live samples: fresh, those allocated on
 * behalf of the calls; probed, those of the probe. A sample is the
 * helpers' own when the innermost frame outside Node's internals is in
 * one of this package's files (its loops, promises and inspector
 * messages), or when it was allocated while Node dispatched an inspector
 * message and nothing else ran; everything else counts, including what
 * Node's internals allocated with no user frame on the stack (a socket's
 * data, a timer's bookkeeping).
 */
function countSamples(profile) {
  const frames = new Map(); // node id → { frame, parent }
  const visit = (node, parent) => {
    frames.set(node.id, { frame: node.callFrame, parent });
    for (const c of node.children) visit(c, node.id);
  };
  visit(profile.head, undefined);
  let fresh = 0;
  let probed = 0;
  for (const s of profile.samples) {
    const leaf = frames.get(s.nodeId);
    let own = false;
    let onlyInspector = true;
    for (let e = leaf; e; e = frames.get(e.parent)) {
      const { url } = e.frame;
      if (!internal(url)) {
        own = ours(url);
        onlyInspector = false;
        break;
      }
      if (url !== '' && url !== 'node:inspector') onlyInspector = false;
    }
    if (leaf && leaf.frame.functionName === probeObjects.name && ours(leaf.frame.url)) probed++;
    else if (!own && !onlyInspector) fresh++;
  }
  return { fresh, probed };
}

/**
 * Runs calls() under the sampling profiler and resolves how many objects
 * it allocated are alive after a full GC ({ fresh }), or null when the
 * profiler could not see every allocation (another client uses it).
 */
async function liveAfter(post, calls) {
  if (await samplingElsewhere(post)) return null;
  v8.setFlagsFromString('--sampling-heap-profiler-suppress-randomness'); // every allocation, not a random few
  let sampling = false;
  try {
    await post('HeapProfiler.startSampling', { samplingInterval: 1 });
    sampling = true;
    const probe = probeObjects();
    await calls();
    await post('HeapProfiler.collectGarbage');
    sampling = false;
    const { profile } = await post('HeapProfiler.stopSampling');
    const counts = countSamples(profile);
    // Reading the probe here keeps it alive through the profile.
    return counts.probed >= probe.length ? { fresh: counts.fresh } : null;
  } finally {
    if (sampling) await post('HeapProfiler.stopSampling').catch(() => {});
    v8.setFlagsFromString('--no-sampling-heap-profiler-suppress-randomness');
  }
}

// samplingElsewhere says whether another client (node --heap-prof,
// DevTools) is sampling already: V8 then has a profile to give without our
// asking. Starting ours would do nothing, and stopping ours would stop
// theirs.
function samplingElsewhere(post) {
  return post('HeapProfiler.getSamplingProfile').then(
    () => true,
    () => false,
  );
}

module.exports = { liveAfter, countSamples };
