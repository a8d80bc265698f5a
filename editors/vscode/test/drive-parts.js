// Runs VS Code drivers one after the other in one headless Chromium page,
// as LEAKLSP_PARTS lists them, one word a line:
//
//   LEAKLSP_PARTS=$'--\ndrive.js\nVAR=VALUE\n…\n--\ndrive-capture.js\nVAR=VALUE…' node drive-parts.js
//
// (in the environment, not on the command line: the debug capture picks
// the debuggee among the Node processes whose command line names its
// script). Each part's variables are set before its script is loaded (the
// drivers read them then), and LEAKLSP_PART names its failure screenshot. A
// workbench loaded in the page that loaded the previous one reuses its
// compiled scripts and cached files: measured 28 CPU-s against 40 in a
// browser context of its own (browser, code-server and extension host
// together), and the browser starts once. Each driver prints its own
// summary; the exit status is 1 if any failed.
'use strict';
const path = require('node:path');
const ui = require('./ui');

/** [{ script, vars }] from the words of LEAKLSP_PARTS: `--` starts each part. */
function parts(argv) {
  const out = [];
  for (const arg of argv) {
    if (arg === '--') {
      out.push(null);
    } else if (out.length === 0) {
      throw new Error(`drive-parts: "${arg}" before the first --`);
    } else if (out[out.length - 1] === null) {
      out[out.length - 1] = { script: arg, vars: {} };
    } else {
      const eq = arg.indexOf('=');
      if (eq <= 0) throw new Error(`drive-parts: "${arg}" is not VAR=VALUE`);
      out[out.length - 1].vars[arg.slice(0, eq)] = arg.slice(eq + 1);
    }
  }
  if (out.length === 0 || out.includes(null)) throw new Error('drive-parts: LEAKLSP_PARTS must list -- SCRIPT [VAR=VALUE…] [-- SCRIPT …], one word a line');
  return out;
}

async function main() {
  const todo = parts((process.env.LEAKLSP_PARTS || '').split('\n').filter((w) => w !== ''));
  const session = await ui.launch();
  ui.share(session);
  try {
    for (const { script, vars } of todo) {
      Object.assign(process.env, vars, { LEAKLSP_PART: path.basename(script, '.js') });
      await require(path.join(__dirname, script))();
    }
  } finally {
    await session.browser.close();
  }
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
