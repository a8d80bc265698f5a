// Drives "Leak: Find Growth in Process…" in VS Code (code-server in headless
// Chromium) like a user: palette, pick the service's process, give the load
// command, and wait for LEAK120 on the growing line (labelled "// LEAK120"
// in server.js) and none on the line labelled "// no-leak". Then "Leak:
// Capture from Debug Session": start the workspace's launch configuration
// (js-debug, built into VS Code, runs timers-als.js), run the command, and
// wait for LEAK101 on the line labelled "// LEAK101"; the heap counts show
// there as an inlay hint (the workspace sets leaklsp.lens.style
// "inlayHint"), not as a CodeLens. Started by e2e.sh (part "capture"). Prints a JSON
// summary and "N passed, N failed".
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { env, T, check, sleep, waitFor, problems, quickOpen, palette, launch, gotoWorkbench, finish } = require('./ui');

const WS = env('LEAKLSP_WS');
const PID = env('LEAKLSP_APP_PID');
const DEBUGGEE = env('LEAKLSP_DEBUGGEE'); // timers-als.js, copied into the workspace for the second part
const APP_PORT = env('LEAKLSP_APP_PORT');

const lines = fs.readFileSync(path.join(WS, 'server.js'), 'utf8').split('\n');
const growLine = lines.findIndex((l) => l.endsWith('// LEAK120')) + 1;
const quietLine = lines.findIndex((l) => l.endsWith('// no-leak')) + 1;

// captureFromDebugSession: F5 on the workspace's launch configuration,
// then the command; LEAK101 on the labelled line and the inlay hint there.
async function captureFromDebugSession(page) {
  const name = path.basename(DEBUGGEE);
  fs.copyFileSync(DEBUGGEE, path.join(WS, name));
  const dlines = fs.readFileSync(DEBUGGEE, 'utf8').split('\n');
  const leakLine = dlines.findIndex((l) => l.endsWith('// LEAK101')) + 1;
  const atLeak = (r) => r.includes('LEAK101') && r.includes(`[Ln ${leakLine}, Col `);
  check(`no LEAK101 at line ${leakLine} before the debug capture`, !(await problems(page)).some(atLeak), {});
  await palette(page, 'Debug: Select and Start Debugging');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Leaky timers' }).first().click({ timeout: T });
  // js-debug's toolbar appears with the session; the script says "ready" in
  // the debug console once its timers have fired.
  const started = await page.locator('.debug-toolbar').first().waitFor({ timeout: T }).then(() => true, () => false);
  // As a user would: wait for the script's "ready" in the Debug Console
  // (its timers have all fired), then back to the Problems panel.
  await page.locator('.part.panel .composite-bar .action-item', { hasText: 'Debug Console' }).first().click({ timeout: T });
  const ready = await waitFor(async () => (await page.locator('.repl').allInnerTexts()).some((t) => /\bready \d+/.test(t)));
  check('js-debug runs the launch configuration to "ready"', started && ready, { started, ready });
  await page.keyboard.press('Control+Shift+M');
  const start = Date.now();
  await palette(page, 'Leak: Capture from Debug Session');
  const rows = await waitFor(async () => {
    const r = await problems(page);
    return r.some(atLeak) && r;
  }, 180000);
  const ms = Date.now() - start;
  check(`Capture from Debug Session: LEAK101 at ${name}:${leakLine}`, !!rows, { ms, rows: rows || (await problems(page)) });
  const saved = fs.readdirSync(path.join(WS, '.leaklsp')).filter((f) => f.startsWith('heap-'));
  check('the capture saved in .leaklsp/', saved.length === 1, { saved });
  console.error(`capture from debug session: ${ms} ms from the palette to the diagnostic`);

  // lens.style "inlayHint": open the line from the Problems panel; the
  // counts are at its end, and there is no CodeLens.
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'LEAK101' }).filter({ hasText: `[Ln ${leakLine}, Col ` }).first().click();
  await page.locator(`.tab.active[aria-label^="${name}"]`).first().waitFor({ timeout: T });
  const leakText = dlines[leakLine - 1].trim();
  const hinted = await waitFor(async () => {
    for (const raw of await page.locator('.editor-instance .view-line').allInnerTexts()) {
      const t = raw.replace(/\s+/g, ' '); // hints render their spaces as no-break spaces
      // The timers retain most, so they come first; VS Code cuts the rest
      // at editor.inlayHints.maximumLength (43 characters by default).
      if (t.includes(leakText) && /2,000 timers · [\d.]+ [KM]?B retained; 2,000 clos/.test(t)) {
        return t;
      }
    }
    return undefined;
  }, 30000);
  const seen = (await page.locator('.editor-instance .view-line').allInnerTexts()).filter((t) => t.includes('LEAK101'));
  check(`inlay hint "2,000 timers · … retained; 2,000 clos…" at the end of ${name}:${leakLine}`, !!hinted && hinted.indexOf('2,000 timers') > hinted.indexOf(leakText), { line: hinted || seen });
  const lenses = await page.locator('.codelens-decoration').allInnerTexts();
  check('no heap CodeLens with lens.style inlayHint', !lenses.some((t) => t.includes(' retained')), { lenses });
  await palette(page, 'Debug: Stop');
}

async function main() {
  const t0 = Date.now();
  const session = await launch();
  const { page } = session;
  try {
    await gotoWorkbench(page);
    // Open server.js: activates the extension and starts the server.
    await quickOpen(page, 'server.js');
    await page.keyboard.press('Control+Shift+M');
    await sleep(3000);

    // The one command: palette → process → load command → diagnostics.
    const start = Date.now();
    await palette(page, 'Leak: Find Growth in Process');
    const input = page.locator('.quick-input-widget input');
    // The process list (leaklsp targets): pick the service by its pid. Type
    // it first: on a machine with many Node processes the row may be below
    // the rows the list renders.
    await page.locator('.quick-input-widget', { hasText: 'inspector' }).first().waitFor({ timeout: T });
    await input.fill(PID);
    const procRow = page.locator('.quick-input-list .monaco-list-row', { hasText: PID }).first();
    await procRow.waitFor({ timeout: T });
    await sleep(300);
    await page.keyboard.press('Enter');
    // What to do between the snapshots: the load script, 400 rounds of /login + /health, twice.
    await page.locator('.quick-input-widget', { hasText: 'Between the snapshots' }).first().waitFor({ timeout: T });
    await input.fill(`node load.js ${APP_PORT} 400 /login /health && node load.js ${APP_PORT} 400 /login /health`);
    await page.keyboard.press('Enter');
    const want = (r) => r.includes('LEAK120') && r.includes(`[Ln ${growLine}, Col `);
    const rows = await waitFor(async () => {
      const r = await problems(page);
      return r.some(want) && r;
    }, 180000);
    const ms = Date.now() - start;
    check(`Find Growth: LEAK120 at server.js:${growLine}`, !!rows, { ms, rows: rows || (await problems(page)) });
    const quiet = (rows || []).filter((r) => r.includes(`[Ln ${quietLine}, Col `));
    check(`no finding at the dropped HealthCheck (server.js:${quietLine})`, rows && quiet.length === 0, { rows: quiet });
    const saved = fs.existsSync(path.join(WS, '.leaklsp')) ? fs.readdirSync(path.join(WS, '.leaklsp')) : [];
    check('baseline and target saved in .leaklsp/', saved.filter((f) => f.endsWith('.heapsnapshot.gz')).length === 2, { saved });
    console.error(`find growth: ${ms} ms from the palette to the diagnostic`);

    await captureFromDebugSession(page);
  } catch (err) {
    check('driver ran to the end', false, { error: String(err && err.stack ? err.stack : err) });
  } finally {
    await finish(session, t0);
  }
}

// Run by drive-parts.js, or on its own (by hand).
if (require.main === module) main();
module.exports = main;
