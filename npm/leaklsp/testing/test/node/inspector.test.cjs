'use strict';
// A DevTools client attached to the process over --inspect (a real
// WebSocket client of the inspector protocol, with the heap profiler
// enabled) does not stop the helpers: V8 serves several sessions, and the
// helpers' own session leaves the client's object ids alone.
const test = require('node:test');
const assert = require('node:assert');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { expectedSite, all } = require('../cases.cjs');

const hasWebSocket = typeof WebSocket === 'function';

test('assertNoLeak works while another inspector client is attached', { skip: !hasWebSocket && 'no global WebSocket (Node < 22)' }, async () => {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', path.join(__dirname, 'attached-child.cjs')], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, LEAKLSP_CASES: '' },
  });
  try {
    const url = await new Promise((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (b) => {
        err += b;
        const m = /ws:\/\/\S+/.exec(err);
        if (m) resolve(m[0]);
      });
      child.on('exit', (code) => reject(new Error(`child exited ${code}: ${err}`)));
    });
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error(`cannot attach to ${url}`));
    });
    const replies = new Map();
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.id && replies.has(m.id)) replies.get(m.id)(m);
    };
    let id = 0;
    const send = (method) =>
      new Promise((resolve) => {
        replies.set(++id, resolve);
        ws.send(JSON.stringify({ id, method }));
      });
    for (const m of ['Runtime.enable', 'HeapProfiler.enable', 'Runtime.runIfWaitingForDebugger']) {
      const r = await send(m);
      assert.ok(!r.error, `${m}: ${JSON.stringify(r.error)}`);
    }
    const line = new Promise((resolve) => {
      let out = '';
      child.stdout.on('data', (b) => {
        out += b;
        if (out.includes('\n')) resolve(out);
      });
    });
    child.stdin.write('go\n');
    const res = JSON.parse(await line);
    ws.close();
    assert.strictEqual(res.name, 'AssertionError', JSON.stringify(res));
    const site = expectedSite(all.find((c) => c.label === 'LEAK120'));
    assert.ok(res.message.split('\n').some((l) => l.startsWith(site)), `no ${site} in:\n${res.message}`);
  } finally {
    child.kill();
  }
});
