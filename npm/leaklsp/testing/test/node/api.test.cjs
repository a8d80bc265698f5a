'use strict';
// The helpers' own behaviour: errors, temp files, countLive,
// assertCollectable. Expectations come from the programs here (how many
// objects they keep) and the labelled lines of the examples.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { assertNoLeak, assertCollectable, countLive } = require('../../index.cjs');
const { all, root } = require('../cases.cjs');
const retained = require('../examples/retained.js');

// LEAKLSP_QUICK=1 (run.sh on the other Node versions) keeps what depends on
// the Node version: countLive (v8.queryObjects or a snapshot) and a
// collection that must be seen (FinalizationRegistry, WeakRef, GC).
const mainOnly = { skip: process.env.LEAKLSP_QUICK === '1' && 'checked on the main Node version' };

// withEnv runs fn with environment variables replaced, then restores them.
async function withEnv(vars, fn) {
  const old = {};
  for (const k of Object.keys(vars)) {
    old[k] = process.env[k];
    if (vars[k] === undefined) delete process.env[k];
    else process.env[k] = vars[k];
  }
  try {
    return await fn();
  } finally {
    for (const k of Object.keys(old)) {
      if (old[k] === undefined) delete process.env[k];
      else process.env[k] = old[k];
    }
  }
}

test('a missing binary is a clear error that says what to install', mainOnly, async () => {
  await withEnv({ LEAKLSP_BINARY_PATH: undefined, PATH: path.join(os.tmpdir(), 'no-such-dir') }, async () => {
    await assert.rejects(assertNoLeak(() => {}), (err) => {
      assert.match(err.message, new RegExp(`@leaklsp/${process.platform}-${process.arch}`));
      assert.match(err.message, /LEAKLSP_BINARY_PATH/);
      return true;
    });
  });
});

test('LEAKLSP_BINARY_PATH that is not a file is named in the error', mainOnly, async () => {
  const bogus = path.join(os.tmpdir(), 'leaklsp-does-not-exist');
  await withEnv({ LEAKLSP_BINARY_PATH: bogus }, async () => {
    await assert.rejects(assertCollectable(() => ({})), (err) => err.message.includes(bogus));
  });
});

test('temp files are removed after a passing and a failing assertion', mainOnly, async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklsp-api-'));
  try {
    await withEnv({ TMPDIR: tmp, TMP: tmp, TEMP: tmp }, async () => {
      const growth = all.find((c) => c.label === 'LEAK120'); // whatever LEAKLSP_CASES selects
      await assertNoLeak(() => growth.run(true), { iterations: 20, warmup: 20, root }); // the fixed cache holds 16
      assert.deepStrictEqual(fs.readdirSync(tmp), []);
      await assert.rejects(assertNoLeak(() => growth.run(false), { iterations: 40, allow: 10, root }), { name: 'AssertionError' });
      assert.deepStrictEqual(fs.readdirSync(tmp), []);
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

class LruEntry {
  constructor(key) {
    this.key = key;
  }
}

// A full bounded cache replaces as many entries as the calls add: each
// round leaves 100 new entries alive (more than allow, as the screen and
// the watermark see it) and frees 100 old ones, which only a comparison of
// two snapshots tells apart from growth.
test('a full bounded cache passes: its new entries replace as many old ones', mainOnly, async () => {
  const lru = new Map();
  let n = 0;
  const put = () => {
    lru.set(n, new LruEntry(n));
    n++;
    if (lru.size > 200) lru.delete(lru.keys().next().value);
  };
  await assertNoLeak(put, { iterations: 100, warmup: 300, allow: 50, root });
  assert.strictEqual(lru.size, 200);
});

class Widget {
  constructor(i) {
    this.i = i;
  }
}

test('countLive counts the live instances of a class and of a name', async () => {
  const held = [];
  for (let i = 0; i < 7; i++) held.push(new Widget(i));
  for (let i = 0; i < 50; i++) new Widget(i); // garbage: not counted
  assert.strictEqual(await countLive(Widget), 7);
  assert.strictEqual(await countLive('Widget'), 7); // the heap snapshot path
  held.length = 0;
  assert.strictEqual(await countLive(Widget), 0);
});

test('assertCollectable passes when the objects are released', async () => {
  await assertCollectable(() => retained.make(false), { count: 50, snapshotEvery: 25, root });
});

test('assertCollectable fails and names the line that keeps them', mainOnly, async () => {
  const src = fs.readFileSync(path.join(__dirname, '..', 'examples', 'retained.js'), 'utf8').split('\n');
  const line = src.findIndex((l) => l.includes('// leak: retained')) + 1;
  const ctorLine = src.findIndex((l) => l.includes('class Session')) + 2; // the constructor
  await assert.rejects(assertCollectable(() => retained.make(true), { count: 50, snapshotEvery: 25, root }), (err) => {
    assert.strictEqual(err.name, 'AssertionError');
    assert.match(err.message, /50 of 50 objects/);
    // The growth is blamed on the class and its retainer path ends in `seen`.
    assert.ok(err.message.includes(`test/examples/retained.js:${ctorLine}:`), `no retained.js:${ctorLine} (constructor; push at ${line}) in:\n${err.message}`);
    assert.match(err.message, /\.seen|seen/);
    return true;
  });
});

test('bad options are TypeErrors', mainOnly, async () => {
  await assert.rejects(assertNoLeak(() => {}, { iterations: 0 }), TypeError);
  await assert.rejects(assertNoLeak('not a function'), TypeError);
  await assert.rejects(assertCollectable(() => 42, { count: 1 }), /not an object/);
});
