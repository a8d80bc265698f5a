// What the VS Code drivers (drive.js, drive-capture.js) share: their
// environment, the list of checks and its summary, and the few gestures a
// user makes in every test (quick open, the palette, reading Problems).
'use strict';
const path = require('node:path');
const { chromium } = require('playwright-core');

/** The value of a variable e2e.sh sets; a clear error when run by hand. */
function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run editors/vscode/test/e2e.sh)`);
  return v;
}

// How long a gesture may take to show its result: file search and a busy
// extension host are slow on a loaded machine. Only failures wait this long.
const T = Number(process.env.LEAKLSP_TIMEOUT_MS || 60000);

const checks = [];
function check(name, ok, detail) {
  checks.push({ name, ok: !!ok, detail });
  console.error(`${ok ? 'PASS' : 'FAIL'} ${name}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn until it returns something truthy or timeout ms have passed. */
async function waitFor(fn, timeout = T) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await sleep(250);
  }
}

/** The rows of the Problems panel, whitespace collapsed. */
async function problems(page) {
  const rows = page.locator('.markers-panel .monaco-list-row');
  return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** The Problems rows listed under a file's header row ("a-timers-als.js 1"). */
function rowsOf(rows, file) {
  let current = false;
  return rows.filter((r) => {
    if (!/\[Ln \d+, Col \d+\]/.test(r)) {
      current = r.startsWith(file);
      return false;
    }
    return current;
  });
}

/** Ctrl+P, the file's name, Enter; waits for its tab. */
async function quickOpen(page, file) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: T });
  await input.fill(file);
  // Enter before the row is listed opens nothing.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor({ timeout: T });
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[aria-label^="${file}"]`).first().waitFor({ timeout: T });
}

/** Runs a command by its title from the palette; returns the row's label. */
async function palette(page, title) {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: T });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: T });
  const label = (await row.innerText()).split('\n')[0];
  await page.keyboard.press('Enter');
  return label;
}

// The session drive-parts.js shares between the drivers it runs, if any.
let shared = null;

/** Makes launch() return session, and finish() leave its browser open. */
function share(session) {
  shared = session;
}

/** Headless Chromium with one page, collecting the page's console errors
 * (the shared one when drive-parts.js runs the drivers). */
async function launch() {
  if (shared) return shared;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
  const consoleErrors = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  return { browser, page, consoleErrors };
}

/** Loads code-server's workbench on the test's folder. */
async function gotoWorkbench(page) {
  await page.goto(env('CS_URL'));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
}

/** Ends a driver: a screenshot on failure, the JSON summary and the
 * "N passed, N failed" line e2e.sh adds up, and the exit status (1 once
 * any driver of the process failed). A shared browser stays open for the
 * next driver, which starts with no checks and no console errors. */
async function finish(session, t0) {
  const { browser, page, consoleErrors } = session;
  const failed = checks.filter((c) => !c.ok).length;
  if (failed) {
    const part = process.env.LEAKLSP_PART || path.basename(process.argv[1], '.js');
    const shot = path.join(env('LEAKLSP_SHOTS'), `failure-${part}.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    console.error(`vscode e2e: failure screenshot: ${shot}`);
  }
  if (session !== shared) await browser.close();
  console.log(JSON.stringify({ ms: Date.now() - t0, checks, consoleErrors: consoleErrors.slice(0, 10) }));
  console.log(`${checks.length - failed} passed, ${failed} failed`);
  if (failed) process.exitCode = 1;
  checks.length = 0;
  consoleErrors.length = 0;
}

module.exports = { env, T, check, sleep, waitFor, problems, rowsOf, quickOpen, palette, share, launch, gotoWorkbench, finish };
