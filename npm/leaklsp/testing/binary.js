'use strict';
// Finds the leaklsp binary the testing helpers run. Order: the
// LEAKLSP_BINARY_PATH environment variable, the platform package
// @leaklsp/<platform>-<arch> that npm installs next to leaklsp, then
// `leaklsp` on PATH.
const fs = require('node:fs');
const path = require('node:path');

const exe = process.platform === 'win32' ? 'leaklsp.exe' : 'leaklsp';

function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function fromPlatformPackage() {
  const pkg = `@leaklsp/${process.platform}-${process.arch}`;
  let dir;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return { pkg };
  }
  for (const rel of [path.join('bin', exe), exe]) {
    const p = path.join(dir, rel);
    if (isFile(p)) return { pkg, file: p };
  }
  return { pkg };
}

function fromPath() {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, exe);
    if (isFile(p)) return p;
  }
  return undefined;
}

/** Returns the absolute path of the leaklsp binary, or throws saying what to install. */
function leaklspBinary() {
  const env = process.env.LEAKLSP_BINARY_PATH;
  if (env) {
    if (!isFile(env)) {
      throw new Error(`leaklsp/testing: LEAKLSP_BINARY_PATH is ${env}, which is not a file`);
    }
    return path.resolve(env);
  }
  const platform = fromPlatformPackage();
  if (platform.file) return platform.file;
  const onPath = fromPath();
  if (onPath) return onPath;
  throw new Error(
    `leaklsp/testing: the leaklsp binary was not found. Install the package for this platform ` +
      `(npm install --save-dev ${platform.pkg}, normally pulled in by leaklsp), put leaklsp on PATH ` +
      `(go install github.com/leaklsp/leaklsp/cmd/leaklsp@latest), or set LEAKLSP_BINARY_PATH to its path.`,
  );
}

module.exports = { leaklspBinary };
