'use strict';
// The heap detectors' example leaks, each with its fixed version, shared by
// the node:test, Jest, Vitest and Mocha suites. The leaking line of each
// example carries a `// leak: CODE` comment: that hand label is the ground
// truth the failure message must point at.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..'); // paths print relative to npm/leaklsp/testing
const ex = (f) => path.join(__dirname, 'examples', f);

const all = [
  { name: 'LEAK101 finished timer keeps its AsyncLocalStorage store', label: 'LEAK101', file: 'timers-als.js', run: (fixed) => require(ex('timers-als.js')).handle(fixed) },
  { name: 'LEAK103 async recursion', label: 'LEAK103', file: 'async-recursion.js', run: (fixed) => require(ex('async-recursion.js')).send(fixed) },
  { name: 'LEAK104 TypeScript __awaiter chain', label: 'LEAK104', file: 'ts-awaiter/worker.ts', run: (fixed) => require(ex('ts-awaiter/worker.js')).submit(fixed) },
  { name: 'LEAK105 interval never cleared', label: 'LEAK105', file: 'interval.js', run: (fixed) => require(ex('interval.js')).pollOnce(fixed) },
  { name: 'LEAK110 listener closures', label: 'LEAK110', file: 'closures.js', run: (fixed) => require(ex('closures.js')).handle(0, fixed) },
  { name: 'LEAK120 unbounded cache', label: 'LEAK120', file: 'growth.js', run: (fixed) => require(ex('growth.js')).lookup(fixed) },
];

// LEAKLSP_CASES=LEAK101,LEAK120 runs a subset (run.sh's quick runs).
const only = (process.env.LEAKLSP_CASES || '').split(',').filter(Boolean);
const cases = only.length > 0 ? all.filter((c) => only.includes(c.label)) : all;

/** The `file:line:` the failure must name: the line labelled `// leak: CODE`. */
function expectedSite(c) {
  const lines = fs.readFileSync(ex(c.file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(`// leak: ${c.label}`));
  if (i < 0) throw new Error(`${c.file} has no "// leak: ${c.label}" label`);
  return `test/examples/${c.file}:${i + 1}:`;
}

/** Throws unless err is the AssertionError that names the labelled line at the start of a finding. */
function checkFailure(c, err) {
  const site = expectedSite(c);
  if (!err || err.name !== 'AssertionError' || err.code !== 'ERR_ASSERTION') {
    throw new Error(`${c.name}: want an AssertionError, got ${err && err.stack}`);
  }
  // The detector's own code, or LEAK120 when 100 calls stay below the
  // detector's threshold and only the growth at that line shows it.
  const codes = [c.label, 'LEAK120'];
  const hit = err.message.split('\n').find((l) => l.startsWith(site) && codes.some((code) => l.includes(`: ${code} `)));
  if (!hit) throw new Error(`${c.name}: the failure does not name ${site}:\n${err.message}`);
  return hit;
}

const options = { iterations: 100, warmup: 5, root };

module.exports = { cases, all, expectedSite, checkFailure, options, root };
