'use strict';
// Checks of the installed npm package, run by e2e.sh in the folder where the
// tarballs were installed (no Go on PATH). Expectations come from the
// README (its command and its printed findings) and from the version the
// release was built with, never from what the binary printed before.

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const VERSION = env('LEAKLSP_E2E_VERSION');
const README = env('LEAKLSP_E2E_README');
const PLATFORM_PACKAGE = env('LEAKLSP_E2E_PLATFORM_PACKAGE');
const APP = process.cwd();

function env(name) {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set (run e2e.sh)`);
  }
  return v;
}

const results = [];
function check(name, ok, detail) {
  results.push({ name, ok: !!ok, detail: ok ? undefined : detail });
}

function run(argv, extraEnv = {}) {
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: APP,
    encoding: 'utf8',
    env: { ...process.env, ...extraEnv },
    timeout: 60000,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** `npx leaklsp ARGS`, as the README says. */
function npx(args, extraEnv = {}) {
  return run(['npx', '--no-install', 'leaklsp', ...args], extraEnv);
}

/** The shim that npx runs (node_modules/.bin/leaklsp), for the checks of
 * the shim itself: the same program without npm's start-up (0.7 CPU-s a
 * call), which the npx checks cover. */
function shim(args, extraEnv = {}) {
  return run([path.join(APP, 'node_modules', '.bin', process.platform === 'win32' ? 'leaklsp.cmd' : 'leaklsp'), ...args], extraEnv);
}

// ---- the README: its first command and the findings it says it prints ------

/** The first fenced block of the given language after `after` (a text marker). */
function fencedBlock(text, lang, after = '') {
  const start = after ? text.indexOf(after) : 0;
  if (start < 0) {
    throw new Error(`README has no "${after}"`);
  }
  const m = text.slice(start).match(new RegExp('```' + lang + '\\n([\\s\\S]*?)```'));
  if (!m) {
    throw new Error(`README has no \`\`\`${lang} block after "${after}"`);
  }
  return m[1];
}

/** "file:line CODE" for each finding line (not the indented related lines). */
function findings(output) {
  const out = [];
  for (const line of output.split('\n')) {
    const m = line.match(/^(\S+):(\d+):\d+: (LEAK\d+) /);
    if (m) {
      out.push(`${m[1]}:${m[2]} ${m[3]}`);
    }
  }
  return out.sort();
}

const readme = fs.readFileSync(README, 'utf8');
const command = fencedBlock(readme, 'sh').split('\n')[0].trim();
const expected = findings(fencedBlock(readme, 'text', 'The first command prints'));
const prefix = 'go run ./cmd/leaklsp ';
if (!command.startsWith(prefix) || expected.length === 0) {
  throw new Error(`README's first command (${command}) or its findings (${expected}) are not as this test expects`);
}
const checkArgs = command.slice(prefix.length).split(/\s+/);

// ---- the install ----------------------------------------------------------

const installedVersion = (name) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(APP, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
};
check('npm installed leaklsp and ' + PLATFORM_PACKAGE + ' at the release version',
  installedVersion('leaklsp') === VERSION && installedVersion(PLATFORM_PACKAGE) === VERSION,
  { leaklsp: installedVersion('leaklsp'), platform: installedVersion(PLATFORM_PACKAGE) });
const pkg = JSON.parse(fs.readFileSync(path.join(APP, 'node_modules/leaklsp/package.json'), 'utf8'));
check('leaklsp has no install script', !pkg.scripts || !['preinstall', 'install', 'postinstall'].some((s) => pkg.scripts[s]), pkg.scripts);
check('optionalDependencies pin every platform package to the release version',
  Object.keys(pkg.optionalDependencies ?? {}).length === 6 && Object.values(pkg.optionalDependencies).every((v) => v === VERSION),
  pkg.optionalDependencies);
// The package's API through its exports map, as a tool that embeds leaklsp
// would use it; every platform it knows is an optional dependency whose
// package.json (in the repository) restricts it to that os and cpu.
const api = require(require.resolve('leaklsp', { paths: [APP] }));
const exported = require(require.resolve('leaklsp/package.json', { paths: [APP] }));
check("require('leaklsp') and require('leaklsp/package.json') resolve through exports",
  typeof api.binaryPath === 'function' && exported.version === VERSION, { api: Object.keys(api), version: exported.version });
check("require('leaklsp').binaryPath() is the installed platform binary",
  api.binaryPath() === path.join(APP, 'node_modules', PLATFORM_PACKAGE, 'bin', process.platform === 'win32' ? 'leaklsp.exe' : 'leaklsp'), api.binaryPath());
const platformDetail = [];
let platformsOk = JSON.stringify(Object.values(api.platforms).sort()) === JSON.stringify(Object.keys(pkg.optionalDependencies ?? {}).sort());
for (const [key, name] of Object.entries(api.platforms)) {
  const p = JSON.parse(fs.readFileSync(path.join(path.dirname(README), 'npm', name, 'package.json'), 'utf8'));
  const [os, cpu] = key.split('-');
  platformDetail.push({ key, name: p.name, os: p.os, cpu: p.cpu });
  platformsOk &&= p.name === name && p.os.length === 1 && p.os[0] === os && p.cpu.length === 1 && p.cpu[0] === cpu;
}
check('each platform package is an optional dependency with os/cpu of its platform', platformsOk, platformDetail);
check('go is not on PATH', spawnSync('go', ['version']).error?.code === 'ENOENT', 'go ran');

// ---- the CLI through npx ---------------------------------------------------

let r = npx(['--version']);
check('npx leaklsp --version prints the release version', r.status === 0 && r.stdout.trim() === `leaklsp ${VERSION}`, r);

r = npx(checkArgs);
const got = findings(r.stdout);
check(`npx leaklsp ${checkArgs.join(' ')} prints the README's findings`,
  r.status === 0 && JSON.stringify(got) === JSON.stringify(expected),
  { status: r.status, expected, got, stderr: r.stderr.slice(0, 2000) });

r = npx(checkArgs.filter((a) => a !== '--exit-zero'));
check('without --exit-zero, findings exit 1 (through the shim)', r.status === 1, { status: r.status, stderr: r.stderr.slice(0, 500) });

r = shim(['no-such-command']);
check('an unknown command exits 2 (through the shim)', r.status === 2 && /unknown command/.test(r.stderr), r);

// ---- the shim's errors and override -----------------------------------------

const pkgDir = path.join(APP, 'node_modules', PLATFORM_PACKAGE);
const hidden = pkgDir + '.hidden';
const exe = path.join(pkgDir, 'bin', process.platform === 'win32' ? 'leaklsp.exe' : 'leaklsp');
const copy = path.join(APP, 'other-leaklsp' + path.extname(exe));
fs.copyFileSync(exe, copy);
fs.chmodSync(copy, 0o755);
fs.renameSync(pkgDir, hidden);
try {
  r = shim(['--version']);
  check('without the platform package: exit 1 and the message names the package to install',
    r.status === 1 && r.stderr.includes(`npm install ${PLATFORM_PACKAGE}@${VERSION}`) && r.stdout === '', r);
  r = shim(['--version'], { LEAKLSP_BINARY_PATH: copy });
  check('LEAKLSP_BINARY_PATH runs that binary', r.status === 0 && r.stdout.trim() === `leaklsp ${VERSION}`, r);
  r = shim(['--version'], { LEAKLSP_BINARY_PATH: path.join(APP, 'missing-leaklsp') });
  check('a LEAKLSP_BINARY_PATH that does not exist: exit 1, named', r.status === 1 && r.stderr.includes('missing-leaklsp'), r);
} finally {
  fs.renameSync(hidden, pkgDir);
  fs.rmSync(copy);
}

// ---- leaklsp/testing from the installed package ------------------------------

// A leak test as a user writes it, in the install folder: require and
// import resolve leaklsp/testing through the package's exports, and the
// helpers find the binary of the platform package. One assertion passes
// (the objects are garbage), one fails and must name the line labelled
// `// leak` (the class whose instances pile up in `kept`).
const leakTest = [
  "'use strict';",
  "const { assertNoLeak } = require('leaklsp/testing');",
  'class Entry {',
  '  constructor(i) { // leak',
  '    this.i = i;',
  '  }',
  '}',
  'const kept = [];',
  '(async () => {',
  '  const out = {};',
  '  const outcome = (p) => p.then(() => ({ passed: true }), (e) => ({ name: e.name, message: e.message }));',
  '  out.passing = await outcome(assertNoLeak(() => new Entry(0), { iterations: 100 }));',
  '  out.failing = await outcome(assertNoLeak(() => kept.push(new Entry(1)), { iterations: 100 }));',
  '  const esm = await import("leaklsp/testing");',
  "  out.esm = ['assertNoLeak', 'assertCollectable', 'countLive'].every((f) => typeof esm[f] === 'function');",
  '  console.log(JSON.stringify(out));',
  '})();',
];
fs.writeFileSync(path.join(APP, 'leak-test.cjs'), leakTest.join('\n') + '\n');
const leakLine = leakTest.findIndex((l) => l.includes('// leak')) + 1;
const testEnv = { ...process.env };
delete testEnv.LEAKLSP_BINARY_PATH;
r = spawnSync(process.execPath, ['leak-test.cjs'], { cwd: APP, encoding: 'utf8', env: testEnv, timeout: 180000 });
let testOut = {};
try {
  testOut = JSON.parse(r.stdout.trim().split('\n').pop());
} catch {
  testOut = { status: r.status, stdout: r.stdout.slice(0, 2000), stderr: r.stderr.slice(0, 2000) };
}
check("require('leaklsp/testing'): assertNoLeak passes when the calls leave garbage only", testOut.passing?.passed === true, testOut);
check(`require('leaklsp/testing'): a leaking assertNoLeak fails at leak-test.cjs:${leakLine}`,
  testOut.failing?.name === 'AssertionError' && testOut.failing.message.split('\n').some((l) => l.startsWith(`leak-test.cjs:${leakLine}:`)), testOut);
check("import('leaklsp/testing') exports assertNoLeak, assertCollectable and countLive", testOut.esm === true, testOut);

// ---- the language server through npx ----------------------------------------

/** One LSP session over `npx leaklsp --stdio`: initialize, didOpen, shutdown, exit. */
function lspSession() {
  return new Promise((resolve) => {
    const child = spawn('npx', ['--no-install', 'leaklsp', '--stdio'], { cwd: APP, stdio: ['pipe', 'pipe', 'pipe'] });
    const seen = { responses: {}, diagnostics: {}, stderr: '' };
    let buf = Buffer.alloc(0);
    const send = (msg) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }));
      child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
      child.stdin.write(body);
    };
    const waiters = [];
    const settle = () => {
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i].cond()) {
          waiters.splice(i, 1)[0].resolve(true);
        }
      }
    };
    const until = (cond, ms = 20000) =>
      new Promise((res) => {
        if (cond()) return res(true);
        const w = { cond, resolve: res };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) waiters.splice(i, 1);
          res(false);
        }, ms);
      });
    child.stderr.on('data', (d) => (seen.stderr += d));
    child.stdout.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) break;
        const len = Number(/Content-Length: (\d+)/i.exec(buf.slice(0, end).toString())?.[1]);
        if (buf.length < end + 4 + len) break;
        const msg = JSON.parse(buf.slice(end + 4, end + 4 + len).toString());
        buf = buf.slice(end + 4 + len);
        if (msg.id !== undefined && msg.method === undefined) {
          seen.responses[msg.id] = msg;
        } else if (msg.method === 'textDocument/publishDiagnostics') {
          seen.diagnostics[msg.params.uri] = msg.params.diagnostics;
        } else if (msg.id !== undefined) {
          send({ id: msg.id, result: null }); // workspace/configuration, progress create, …
        }
        settle();
      }
    });
    const exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));

    (async () => {
      const rootUri = 'file://' + APP;
      send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri, capabilities: {}, workspaceFolders: [{ uri: rootUri, name: 'app' }] } });
      await until(() => seen.responses[1]);
      send({ method: 'initialized', params: {} });
      const file = path.join(APP, 'examples/leaky-service/service.js');
      const uri = 'file://' + file;
      send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'javascript', version: 1, text: fs.readFileSync(file, 'utf8') } } });
      await until(() => (seen.diagnostics[uri] ?? []).length > 0);
      send({ id: 2, method: 'shutdown' });
      await until(() => seen.responses[2]);
      send({ method: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      const how = await exited;
      clearTimeout(timer);
      resolve({ ...seen, exit: how, uri });
    })();
  });
}

(async () => {
  const s = await lspSession();
  const info = s.responses[1]?.result?.serverInfo;
  check('LSP initialize through npx answers serverInfo leaklsp at the release version',
    info?.name === 'leaklsp' && info?.version === VERSION && s.responses[1].result.capabilities, s.responses[1] ?? s.stderr.slice(0, 2000));
  // Static rules only (no snapshot): the README's heap finding LEAK1xx at a
  // line is the static LEAK0xx at the same line.
  const diags = (s.diagnostics[s.uri] ?? []).map((d) => `${path.basename(s.uri)}:${d.range.start.line + 1} ${d.code}`).sort();
  const staticExpected = expected.map((f) => f.replace(/ LEAK1(\d\d)$/, ' LEAK0$1'));
  check('LSP didOpen publishes the static findings of the README\'s lines', JSON.stringify(diags) === JSON.stringify(staticExpected), { diags, staticExpected });
  check('LSP shutdown answers and exit ends the process with 0',
    s.responses[2] && !s.responses[2].error && s.exit.code === 0, { shutdown: s.responses[2], exit: s.exit, stderr: s.stderr.slice(0, 2000) });

  const failed = results.filter((c) => !c.ok);
  for (const c of results) {
    console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}`);
    if (!c.ok) console.log('     ' + JSON.stringify(c.detail).slice(0, 3000));
  }
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length ? 1 : 0);
})();
