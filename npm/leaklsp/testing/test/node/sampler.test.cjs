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
  const env = { ...process.env, LEAKLSP_TESTING_TRACE: '1' };
  const r = spawnSync(process.execPath, [...nodeArgs, child, ...args], { encoding: 'utf8', timeout: 120000, env });
  const last = r.stdout.trim().split('\n').pop();
  try {
    return { ...JSON.parse(last), trace: r.stderr };
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

test('calls that allocate more than the heap holds are tracked without the screen: a leak fails with its line, the fix passes', () => {
  const leaky = run([], ['heavy']);
  assertFailsAtSite(leaky);
  assert.match(leaky.trace, /screen: .*skipped/);
  const fixed = run([], ['heavy', 'fixed']);
  assert.strictEqual(fixed.passed, true, JSON.stringify(fixed));
  assert.match(fixed.trace, /screen: .*skipped/);
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

test('live samples count unless the helpers or the inspector dispatch allocated them', () => {
  const { countSamples } = require('../../lib/sampler.cjs');
  const pkg = path.resolve(__dirname, '../..');
  const frame = (functionName, url) => ({ functionName, url, scriptId: '0', lineNumber: 0, columnNumber: 0 });
  let id = 0;
  // node(frame, ...children): a profile node; its id is the order of creation.
  const node = (callFrame, ...children) => ({ id: ++id, callFrame, selfSize: 0, children });
  const user = node(frame('handle', path.join(pkg, 'test/examples/growth.js')), node(frame('set', '')), node(frame('setTimeout', 'node:timers')));
  const calls = node(frame('calls', path.join(pkg, 'index.cjs')), user, node(frame('then', '')));
  const probe = node(frame('probeObjects', path.join(pkg, 'lib/sampler.cjs')));
  const viaOurs = node(frame('post', 'node:inspector'));
  const ours = node(frame('liveAfter', path.join(pkg, 'lib/sampler.cjs')), viaOurs, probe);
  const dispatch = node(frame('#onMessage', 'node:inspector'));
  const socket = node(frame('onStreamRead', 'node:internal/stream_base_commons'));
  const esmUser = node(frame('run', 'file://' + path.join(pkg, 'test/vitest/examples.test.mjs')));
  const head = node(frame('(root)', ''), calls, ours, dispatch, socket, esmUser);
  const at = (n, times = 1) => Array.from({ length: times }, () => ({ nodeId: n.id, size: 16, ordinal: 0 }));
  const samples = [
    ...at(user, 3), // the user's function: counts
    ...at(user.children[0], 2), // a builtin it called: counts
    ...at(user.children[1]), // Node's internals it called: counts
    ...at(calls), // the helpers' loop itself
    ...at(calls.children[1]), // a builtin the helpers' loop called
    ...at(viaOurs, 4), // node:inspector called by the helpers
    ...at(dispatch, 2), // Node dispatching an inspector message, nothing else
    ...at(socket), // Node's internals with no user frame (a socket's data): counts
    ...at(esmUser), // a user frame with a file:// URL: counts
    ...at(probe, 32),
  ];
  assert.deepStrictEqual(countSamples({ head, samples }), { fresh: 3 + 2 + 1 + 1 + 1, probed: 32 });
});
