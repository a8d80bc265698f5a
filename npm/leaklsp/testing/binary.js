'use strict';
// Finds the leaklsp binary the testing helpers run: the package's own
// lookup (LEAKLSP_BINARY_PATH, then this platform's @leaklsp/<os>-<cpu>
// package; lib/main.js), else `leaklsp` on PATH, for a global install or
// `go install`.
const fs = require('node:fs');
const path = require('node:path');
const { binaryPath } = require('../lib/main.js');

const exe = process.platform === 'win32' ? 'leaklsp.exe' : 'leaklsp';

function fromPath() {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, exe);
    try {
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Returns the absolute path of the leaklsp binary, or throws saying what to install. */
function leaklspBinary() {
  try {
    return path.resolve(binaryPath());
  } catch (err) {
    // An explicit LEAKLSP_BINARY_PATH that is wrong is the answer itself.
    const onPath = process.env.LEAKLSP_BINARY_PATH ? undefined : fromPath();
    if (onPath) return onPath;
    throw new Error(`leaklsp/testing: ${err.message}\nOr put leaklsp on PATH.`);
  }
}

module.exports = { leaklspBinary };
