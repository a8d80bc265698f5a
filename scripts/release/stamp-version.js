#!/usr/bin/env node
'use strict';
// stamp-version.js PACKAGE_JSON VERSION: sets "version" and pins every
// @leaklsp/* optional dependency to exactly VERSION, so the main package
// always runs the binary built with it.
const fs = require('fs');

const [file, version] = process.argv.slice(2);
if (!file || !version) {
  console.error('usage: stamp-version.js PACKAGE_JSON VERSION');
  process.exit(2);
}
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
pkg.version = version;
for (const name of Object.keys(pkg.optionalDependencies ?? {})) {
  if (name.startsWith('@leaklsp/')) {
    pkg.optionalDependencies[name] = version;
  }
}
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
