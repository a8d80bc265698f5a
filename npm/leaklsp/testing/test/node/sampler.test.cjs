'use strict';
// assertNoLeak's first look (the sampling heap profiler) in the processes
// that could fool it: code optimized with allocation folding, another
// inspector session sampling, node --heap-prof. Each must still fail on a
// leak with the labelled line and pass on the fixed version; --heap-prof
// must still get its profile.
const test = require('node:test');
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const child = path.join(__dirname, 'sampler-child.cjs');
const site = () => {
  const line = fs.readFileSync(child, 'utf8').split('\n').findIndex((l) => l.includes('// leak: sampled')) + 1;
  return `test/node/sampler-child.cjs:${line}:`;
};

function run(nodeArgs, args) {
  const r = spawnSync(process.execPath, [...nodeArgs, child, ...args], { encoding: 'utf8', timeout: 120000 });
  const last = r.stdout.trim().split('\n').pop();
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`sampler-child ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
}

function assertFailsAtSite(out) {
  assert.strictEqual(out.name, 'AssertionError', JSON.stringify(out));
  assert.ok(out.message.split('\n').some((l) => l.startsWith(site())), `no ${site()} in:\n${out.message}`);
}

test('a leak in TurboFan-optimized code whose folded first object dies fails with its line', () => {
  const out = run(['--allow-natives-syntax'], ['folded']);
  assertFailsAtSite(out);
  // Else the calls ran unoptimized code and nothing was folded.
  assert.strictEqual(out.status[1], out.status[0], 'make() was deoptimized during the calls');
});

test('the same optimized code without the leak passes', () => {
  assert.deepStrictEqual(run(['--allow-natives-syntax'], ['folded', 'fixed']).passed, true);
});

test('with another session sampling the heap, a leak fails with its line, the fixed version passes, and its sampling goes on', () => {
  const leaky = run([], ['shared']);
  assertFailsAtSite(leaky);
  assert.strictEqual(leaky.otherSampling, true);
  const fixed = run([], ['shared', 'fixed']);
  assert.strictEqual(fixed.passed, true);
  assert.strictEqual(fixed.otherSampling, true);
});

test('under node --heap-prof a leak fails with its line and the profile is still written', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklsp-heap-prof-'));
  try {
    assertFailsAtSite(run(['--heap-prof', '--heap-prof-interval', '64', '--heap-prof-dir', dir], ['plain']));
    const profiles = fs.readdirSync(dir).filter((f) => f.endsWith('.heapprofile'));
    assert.strictEqual(profiles.length, 1, `profiles: ${profiles}`);
    assert.ok(JSON.parse(fs.readFileSync(path.join(dir, profiles[0]), 'utf8')).samples.length > 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
