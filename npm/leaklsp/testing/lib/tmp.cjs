'use strict';
// A private temporary directory per assertion, removed when it ends.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

async function withTempDir(fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklsp-test-'));
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { withTempDir };
