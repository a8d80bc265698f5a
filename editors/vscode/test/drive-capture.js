// Drives "Leak: Find Growth in Process…" in VS Code (code-server in headless
// Chromium) like a user: palette, pick the service's process, give the load
// command, and wait for LEAK120 on the growing line (labelled "// LEAK120"
// in server.js) and none on the line labelled "// no-leak". Started by
// e2e-capture.sh. Prints a JSON summary and "N passed, N failed".
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run e2e-capture.sh)`);
  return v;
};
const URL = env('CS_URL');
const WS = env('LEAKLSP_WS');
const SHOTS = env('LEAKLSP_SHOTS');
const PID = env('LEAKLSP_APP_PID');
const APP_PORT = env('LEAKLSP_APP_PORT');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const T = Number(process.env.LEAKLSP_TIMEOUT_MS || 90000); // file search is slow on a loaded machine

const lines = fs.readFileSync(path.join(WS, 'server.js'), 'utf8').split('\n');
const growLine = lines.findIndex((l) => l.endsWith('// LEAK120')) + 1;
const quietLine = lines.findIndex((l) => l.endsWith('// no-leak')) + 1;

const checks = [];
const check = (name, ok, detail) => {
  checks.push({ name, ok: !!ok, detail });
  console.error(`${ok ? 'PASS' : 'FAIL'} ${name}`);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(fn, timeout = T) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await sleep(250);
  }
}

async function problems(page) {
  const rows = page.locator('.markers-panel .monaco-list-row');
  return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

async function main() {
  const t0 = Date.now();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
  try {
    await page.goto(URL);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    // Open server.js: activates the extension and starts the server.
    await page.keyboard.press('Control+P');
    let input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: T });
    await input.fill('server.js');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'server.js' }).first().waitFor({ timeout: T });
    await page.keyboard.press('Enter');
    await page.locator('.tab.active[aria-label^="server.js"]').first().waitFor({ timeout: T });
    await page.keyboard.press('Control+Shift+M');
    await sleep(3000);

    // The one command: palette → process → load command → diagnostics.
    const start = Date.now();
    await page.keyboard.press('Control+Shift+P');
    input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: T });
    await input.fill('>Leak: Find Growth in Process');
    const cmdRow = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Find Growth in Process' }).first();
    await cmdRow.waitFor({ timeout: T });
    await page.keyboard.press('Enter');
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
  } catch (err) {
    check('driver ran to the end', false, { error: String(err && err.stack ? err.stack : err) });
  } finally {
    const failed = checks.filter((c) => !c.ok).length;
    if (failed) {
      const shot = path.join(SHOTS, 'failure.png');
      await page.screenshot({ path: shot }).catch(() => {});
      console.error(`vscode e2e: failure screenshot: ${shot}`);
    }
    await browser.close();
    console.log(JSON.stringify({ ms: Date.now() - t0, checks }));
    console.log(`${checks.length - failed} passed, ${failed} failed`);
    process.exitCode = failed ? 1 : 0;
  }
}

main();
