// The type check of vscode:prepublish (vsce runs it before packaging, then
// the bundle): `tsc --noEmit -p .`, skipped when the same inputs passed it:
// tsconfig.json, package-lock.json (TypeScript and the @types versions,
// installed exactly by npm ci) and every file under src/, hashed with this
// script into a key whose stamp is kept in $LEAKLSP_CACHE (default
// ~/.cache/leaklsp, where scripts/npm-ci-cached.sh keeps node_modules).
// Any change to them is a new key, so the check runs again; a release
// builds seven .vsix files from one source and checks it once.
// `npm run check` always runs tsc.
'use strict';
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const here = __dirname;

/** Relative paths of the files under dir, sorted. */
function files(dir) {
  const out = [];
  for (const e of fs.readdirSync(path.join(here, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(rel));
    else out.push(rel);
  }
  return out.sort();
}

function checkKey() {
  const h = crypto.createHash('sha256');
  for (const rel of [path.basename(__filename), 'tsconfig.json', 'package-lock.json', ...files('src')]) {
    h.update(`${rel}\0`);
    h.update(fs.readFileSync(path.join(here, rel)));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 32);
}

function typeCheck() {
  const cache = process.env.LEAKLSP_CACHE || path.join(os.homedir(), '.cache', 'leaklsp');
  const stamp = path.join(cache, 'vscode-typecheck', checkKey());
  if (fs.existsSync(stamp)) {
    console.log(`prepublish: type check skipped: these sources passed it (${stamp})`);
    return;
  }
  execFileSync(path.join(here, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', '.'], { cwd: here, stdio: 'inherit' });
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

try {
  typeCheck();
} catch (err) {
  process.exitCode = 1; // tsc printed why
}
