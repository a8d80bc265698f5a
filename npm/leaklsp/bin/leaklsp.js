#!/usr/bin/env node
'use strict';
// `npx leaklsp …` / node_modules/.bin/leaklsp: runs the native binary with
// the same arguments and stdio (the language server speaks LSP on them), and
// exits the way it exited.

const { spawn } = require('child_process');
const { binaryPath } = require('../lib/main.js');

let exe;
try {
  exe = binaryPath();
} catch (err) {
  process.stderr.write(`leaklsp: ${err.message}\n`);
  process.exit(1);
}

const child = spawn(exe, process.argv.slice(2), { stdio: 'inherit', windowsHide: true });

// Pass termination signals on, so an editor stopping the server stops the
// binary and not only this shim.
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
for (const sig of signals) {
  process.on(sig, () => child.kill(sig));
}

child.on('error', (err) => {
  process.stderr.write(`leaklsp: cannot run ${exe}: ${err.message}\n`);
  process.exit(1);
});

child.on('exit', (code, signal) => {
  if (signal) {
    // Die of the same signal, so the caller sees what happened.
    for (const sig of signals) {
      process.removeAllListeners(sig);
    }
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
