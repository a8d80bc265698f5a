// Drives VS Code (code-server in headless Chromium) through the leaklsp
// extension like a user: squiggle + Problems entry, preferred quick fix,
// "Leak: Open Heap Snapshot…" from the palette. Started by e2e.sh, which sets
// the environment below. Expectations come from the fixtures' manifest.json.
// Prints a JSON summary and "N passed, N failed"; exits 1 on failure.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { env, T, check, sleep, waitFor, problems, rowsOf, quickOpen, palette, launch, gotoWorkbench, finish } = require('./ui');

const WS = env('LEAKLSP_WS');
const FIXTURES = env('LEAKLSP_FIXTURES');
const DOC_IMAGES = process.env.LEAKLSP_DOC_IMAGES || ''; // docs screenshots, only when asked

// ---- ground truth ------------------------------------------------------------
const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'manifest.json'), 'utf8'));
const entry = (scenario) => {
  const e = manifest.snapshots.find((s) => s.scenario === scenario && !s.allocation_tracking);
  if (!e) throw new Error(`manifest has no untracked snapshot for ${scenario}`);
  return e;
};
const A = entry('a-timers-als');
const G = entry('g-control'); // the control program: leaks nothing
const site = A.ground_truth.groups.find((g) => g.id === 'finished-timeout').allocation_site;
const token = site.text.match(/^\s*([\w.]+)\s*=/)[1]; // this.timeout
const wantLine = `${token} = null;`;

/** Trimmed lines of the timer callback: after the site, while indented deeper. */
function callbackBody(text) {
  const lines = text.split('\n');
  if (lines.length < site.line) return [];
  const indent = lines[site.line - 1].match(/^\s*/)[0].length;
  const body = [];
  for (let i = site.line; i < lines.length && lines[i].match(/^\s*/)[0].length > indent; i++) {
    body.push(lines[i].trim());
  }
  return body;
}

async function docShot(page, name, opts = {}) {
  if (!DOC_IMAGES) return;
  await page.screenshot({ path: path.join(DOC_IMAGES, name), ...opts });
}

/** Waits until VS Code's status bar shows no busy language service: while
 * TypeScript is still analyzing, Ctrl+. answers "No code actions available"
 * even though our server has returned its actions. */
async function waitIdle(page) {
  const t = Date.now();
  await waitFor(async () => !/Analyzing|Fetching|Activating|Initializing/.test(await page.locator('.statusbar').innerText()), 90000);
  return Date.now() - t;
}

/** Ctrl+. until the action menu opens (a busy language service can still
 * swallow the first request). */
async function openQuickFixMenu(page, click) {
  const menu = page.locator('.action-widget .monaco-list-row');
  for (let attempt = 1; ; attempt++) {
    await click();
    await sleep(1500);
    await page.keyboard.press('Control+.');
    try {
      await menu.first().waitFor({ timeout: 5000 });
      return { menu, attempt };
    } catch (err) {
      if (attempt >= 4) throw err;
      await page.keyboard.press('Escape');
      await waitIdle(page);
    }
  }
}

async function main() {
  const t0 = Date.now();
  const session = await launch();
  const { page } = session;
  const file = path.join(WS, A.program);
  const original = fs.readFileSync(file, 'utf8');
  try {
    await gotoWorkbench(page);
    await quickOpen(page, A.program);
    await page.keyboard.press('Control+B'); // hide the side bar: more room for the editor

    // 1. Squiggle and Problems entry at the ground-truth line.
    const squiggle = await waitFor(async () => (await page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').count()) > 0);
    check('squiggle in the editor', squiggle);
    await page.keyboard.press('Control+Shift+M');
    const want001 = (r) => r.includes('LEAK001') && r.includes(`[Ln ${site.line}, Col `);
    const rows = await waitFor(async () => {
      const r = await problems(page);
      return rowsOf(r, A.program).some(want001) && r;
    });
    const row001 = rowsOf(rows || [], A.program).find(want001);
    check(`Problems: LEAK001 at ${A.program}:${site.line}`, !!row001, { rows: rows || (await problems(page)) });
    check(`Problems: LEAK001 column ${site.column} (setTimeout)`, !!row001 && row001.includes(`[Ln ${site.line}, Col ${site.column}]`), { row: row001 });

    // 2. Preferred quick fix: click on the squiggled call, Ctrl+., Enter.
    // Go to the site, then click on the squiggle drawn on the cursor's line
    // (a cursor placed only by keyboard sometimes gets no code actions).
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').fill(`:${site.line}:${site.column}`);
    await page.keyboard.press('Enter');
    await sleep(500);
    const cursor = await page.locator('.monaco-editor .cursor').first().boundingBox();
    const boxes = [];
    for (const sq of await page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').all()) {
      const b = await sq.boundingBox();
      if (b) boxes.push(b);
    }
    const box = boxes.find((b) => cursor && Math.abs(b.y + b.height / 2 - (cursor.y + cursor.height / 2)) < cursor.height);
    if (!box) throw new Error(`no squiggle on line ${site.line}: cursor ${JSON.stringify(cursor)}, squiggles ${JSON.stringify(boxes)}`);
    const idleMs = await waitIdle(page);
    await docShot(page, 'vscode-diagnostic.png');
    const { menu, attempt } = await openQuickFixMenu(page, () => page.mouse.click(box.x + box.width / 2, box.y + box.height / 2));
    const offered = (await menu.allInnerTexts()).map((t) => t.trim());
    await docShot(page, 'vscode-quickfix.png');
    await page.keyboard.press('Enter');
    await sleep(500);
    await page.keyboard.press('Control+S');
    const onDisk = await waitFor(async () => callbackBody(fs.readFileSync(file, 'utf8')).includes(wantLine));
    check(`preferred quick fix inserts \`${wantLine}\` in the timer callback`, onDisk, {
      offered,
      attempts: attempt,
      idleMs,
      body: callbackBody(fs.readFileSync(file, 'utf8')),
    });
    const cleared = await waitFor(async () => !rowsOf(await problems(page), A.program).some(want001));
    check('LEAK001 leaves Problems after the fix', cleared, { rows: await problems(page) });

    // Back to the leaking code for the heap check.
    await page.keyboard.press('Control+Z');
    await page.keyboard.press('Control+S');
    const restored = await waitFor(async () => fs.readFileSync(file, 'utf8') === original);
    check('undo restores the file', restored);

    // 3. "Leak: Open Heap Snapshot…" from the palette, simple file dialog.
    const label = await palette(page, 'Leak: Open Heap Snapshot');
    const snapshot = path.join(FIXTURES, A.file);
    const dialog = page.locator('.quick-input-widget input');
    await dialog.waitFor({ timeout: T });
    await sleep(500);
    await dialog.fill(snapshot);
    await sleep(500);
    await page.keyboard.press('Enter');
    const want101 = (r) => r.includes('LEAK101') && r.includes(`[Ln ${site.line}, Col `);
    const heapRows = await waitFor(async () => {
      const r = await problems(page);
      return rowsOf(r, A.program).some(want101) && r;
    }, 60000);
    check(`palette "${label}" loads the snapshot: LEAK101 at ${A.program}:${site.line}`, !!heapRows, {
      rows: heapRows || (await problems(page)),
    });
    const statusText = await waitFor(async () => {
      const t = (await page.locator('.statusbar').innerText()).replace(/\s+/g, ' ');
      return t.includes(path.basename(A.file)) && t;
    }, 10000);
    check('status bar shows the loaded snapshot', !!statusText, { status: statusText });
    const heapErr = await page.locator('.monaco-editor .squiggly-error').count();
    check('heap-backed diagnostic is an Error squiggle', heapErr > 0, { errorSquiggles: heapErr });
    if (DOC_IMAGES) {
      // Hover the heap-backed squiggle: message, counts, retainer path.
      const sq = await page.locator('.monaco-editor .squiggly-error').first().boundingBox();
      if (sq) {
        await page.mouse.move(sq.x + sq.width / 2, sq.y + sq.height / 2);
        await page.locator('.monaco-hover').first().waitFor({ timeout: 5000 }).catch(() => {});
        await sleep(500);
      }
      await docShot(page, 'vscode-heap.png');
    }

    // 4. Negative: the control program (it releases its timer token and
    // polls in a loop) gets no timer or recursion finding, static or heap.
    // (LEAK004 is expected there: it carries a TypeScript __awaiter helper.)
    await page.keyboard.press('Escape');
    await quickOpen(page, G.program);
    await waitIdle(page);
    await sleep(2000);
    const gRows = rowsOf(await problems(page), G.program);
    const wrong = gRows.filter((r) => /LEAK00[13]|LEAK1\d\d/.test(r));
    check(`no LEAK001/LEAK003/LEAK1xx in ${G.program}`, !G.ground_truth.leaks && wrong.length === 0, { rows: gRows });
  } catch (err) {
    check('driver ran to the end', false, { error: String(err && err.stack ? err.stack : err) });
  } finally {
    await finish(session, t0);
  }
}

// Run by drive-parts.js, or on its own (by hand).
if (require.main === module) main();
module.exports = main;
