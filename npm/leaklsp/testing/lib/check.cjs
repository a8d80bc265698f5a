'use strict';
// Runs `leaklsp check` on snapshots of this process and turns its JSON into
// the text the CLI and the editor show: `file:line:col: LEAKxxx message`
// with the retainer path indented below.
const { spawn } = require('node:child_process');
const path = require('node:path');
const { leaklspBinary } = require('../binary.js');

// run runs the binary with argv and resolves its stdout; exit status 0
// only.
function run(argv) {
  const bin = leaklspBinary();
  return new Promise((resolve, reject) => {
    // The snapshots are thrown away after the check: no re-open index for them.
    const env = { ...process.env, LEAKLSP_INDEX_DIR: 'off' };
    const child = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, env });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', (e) => reject(new Error(`leaklsp/testing: cannot run ${bin}: ${e.message}`, { cause: e })));
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString().trim();
      if (code !== 0) {
        reject(new Error(`leaklsp/testing: ${bin} ${argv.join(' ')} exited ${code}: ${stderr}`));
        return;
      }
      resolve({ stdout: Buffer.concat(out).toString(), stderr });
    });
  });
}

/** Runs leaklsp check --format json --no-static with args; resolves the diagnostics. */
async function check(args) {
  const { stdout, stderr } = await run(['check', '--format', 'json', '--no-static', '--exit-zero', ...args]);
  try {
    return JSON.parse(stdout).diagnostics || [];
  } catch (e) {
    throw new Error(`leaklsp/testing: ${leaklspBinary()} printed no JSON (${e.message}); stderr: ${stderr}`);
  }
}

let primed;

/**
 * Runs the binary once per process (leaklsp version) before anything is
 * measured: the first child process makes Node load and cache what
 * spawning needs, objects that would otherwise appear between two
 * snapshots of a measurement.
 */
function prime() {
  primed = primed || run(['version']);
  return primed;
}

function where(file, range) {
  if (!file) return '(heap snapshot)';
  return `${file}:${range.start.line + 1}:${range.start.column + 1}`;
}

function pathString(hops) {
  return hops
    .map((h) => {
      if (!h.edge) return h.node;
      const e = h.edge.startsWith('[') || h.edge.startsWith('<') ? h.edge : `.${h.edge}`;
      return `${e} ${h.node}`;
    })
    .join(' → ');
}

/** Formats diagnostics as leaklsp check's text output (1-based positions, paths relative to root). */
function formatText(diags, root) {
  const rel = (file) => relative(root, file);
  const lines = [];
  for (const d of diags) {
    const file = d.file ? rel(d.file) : d.script;
    lines.push(`${where(file, d.range)}: ${d.code} ${d.message}`);
    if (!file && d.heap && d.heap.path && d.heap.path.length > 0) {
      lines.push(`\tretainer path: ${pathString(d.heap.path)}`);
    }
    for (const r of d.related || []) {
      lines.push(`\t${where(r.file ? rel(r.file) : r.script, r.range)}: ${r.message}`);
    }
  }
  return lines.join('\n');
}

// relative is file relative to root when inside it, as the CLI prints it.
function relative(root, file) {
  const r = path.relative(root, file);
  if (r === '' || r.startsWith('..') || path.isAbsolute(r)) return file;
  return r.split(path.sep).join('/');
}

module.exports = { check, prime, formatText };
