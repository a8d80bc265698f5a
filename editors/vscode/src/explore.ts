// Capture heap snapshots from running Node processes ("Leak: Capture Heap
// Snapshot from Process…", "Leak: Find Growth in Process…", "Leak: Capture
// from Debug Session") and the "Leak Suspects" view fed by the server's
// leaklsp/suspects and leaklsp/summary requests (docs/lsp-requests.md).
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/** What the extension lends this module. */
export interface Host {
  client(): LanguageClient | undefined;
  serverPath(): string | undefined;
  load(target: string, baseline?: string): Promise<void>;
  output: vscode.OutputChannel;
}

interface Process {
  pid: number;
  command: string;
  inspector?: string;
}

interface Location {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

interface Hop {
  edge: string;
  node: string;
  location?: Location;
}

interface Suspect {
  code: string;
  message: string;
  count: number;
  retainedBytes: number;
  selfBytes: number;
  location?: Location;
  path: Hop[];
}

interface SiteInfo {
  label: string;
  name: string;
  location?: Location;
  retainedBytes: number;
  paths?: Hop[][];
}

interface SummaryRow {
  name: string;
  count: number;
  retainedBytes: number;
  location?: Location;
  sites?: SiteInfo[];
}

let host: Host;
let tree: SuspectsTree;

export function registerExplore(context: vscode.ExtensionContext, h: Host): void {
  host = h;
  tree = new SuspectsTree();
  const register = (id: string, fn: (...args: any[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  register('leaklsp.captureFromProcess', () => captureFromProcess());
  register('leaklsp.findGrowth', () => findGrowth());
  register('leaklsp.captureFromDebugSession', () => captureFromDebugSession());
  register('leaklsp.refreshSuspects', () => tree.refresh());
  register('leaklsp.showRetainers', (arg?: { uri: string; position: { line: number; character: number } }) => showRetainers(arg));
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('leaklspSuspects', tree),
    vscode.debug.onDidStartDebugSession(updateDebugContext),
    vscode.debug.onDidTerminateDebugSession(updateDebugContext),
  );
  updateDebugContext();
}

/** Called by the extension after a snapshot loaded or closed. */
export function snapshotChanged(): void {
  tree?.refresh();
}

function updateDebugContext(): void {
  const s = vscode.debug.activeDebugSession;
  const node = !!s && /node|pwa-node|node-terminal/.test(s.type);
  void vscode.commands.executeCommand('setContext', 'leaklsp.nodeDebugSession', node);
}

// ---- running leaklsp -------------------------------------------------------

function captureFolder(): string | undefined {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const folder = vscode.workspace.getConfiguration('leaklsp').get<string>('captureFolder', '.leaklsp');
  if (path.isAbsolute(folder)) {
    return folder;
  }
  return root ? path.join(root, folder) : undefined;
}

/** run spawns leaklsp with args; resolves with stdout, rejects with stderr. */
function run(args: string[], token?: vscode.CancellationToken): Promise<string> {
  const bin = host.serverPath();
  if (!bin) {
    return Promise.reject(new Error('leaklsp binary not found (leaklsp.server.path)'));
  }
  host.output.appendLine(`running ${bin} ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    // In the workspace folder: a --run command such as `node load.js` is relative to it.
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const child: ChildProcess = spawn(bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (err += d));
    token?.onCancellationRequested(() => child.kill('SIGINT'));
    child.on('error', reject);
    child.on('close', (code) => {
      if (err) {
        host.output.append(err);
      }
      if (token?.isCancellationRequested) {
        reject(new vscode.CancellationError());
      } else if (code === 0) {
        resolve(out);
      } else {
        reject(new Error(err.trim().split('\n').pop() || `leaklsp ${args[0]} exited with ${code}`));
      }
    });
  });
}

/** pickTarget asks for a process; with single, the only one that passes filter is taken without asking. */
async function pickTarget(title: string, filter?: (p: Process) => boolean, single = false): Promise<string | undefined> {
  let list: Process[] = [];
  try {
    list = JSON.parse(await run(['targets', '--json'])) as Process[];
  } catch (err) {
    host.output.appendLine(`targets: ${err}`);
  }
  list = list.filter(filter ?? (() => true));
  if (single && list.length === 1 && list[0].inspector) {
    return list[0].inspector;
  }
  type Item = vscode.QuickPickItem & { target: string };
  const items: Item[] = list.map((p) => ({
    label: `${p.pid}`,
    description: p.inspector ? 'inspector open' : 'inspector enabled with SIGUSR1',
    detail: p.command,
    target: p.inspector ?? `pid:${p.pid}`,
  }));
  items.push({ label: '$(plug) Enter an inspector address…', description: 'ws://…, host:port or port', target: '' });
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDetail: true });
  if (!picked) {
    return undefined;
  }
  if (picked.target) {
    return picked.target;
  }
  return vscode.window.showInputBox({ title, prompt: 'Inspector address', value: '127.0.0.1:9229' });
}

/** capture takes a snapshot of target into the capture folder and loads it. */
async function capture(target: string): Promise<string | undefined> {
  const dir = captureFolder();
  if (!dir) {
    vscode.window.showErrorMessage('leaklsp: open a folder first: captures are saved in it (leaklsp.captureFolder).');
    return undefined;
  }
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `heap-${stamp()}.heapsnapshot.gz`);
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Capturing heap snapshot of ${target}`, cancellable: true },
      (_, token) => run(['capture', '-o', file, target], token),
    );
  } catch (err) {
    if (!(err instanceof vscode.CancellationError)) {
      vscode.window.showErrorMessage(`leaklsp: capture failed: ${err instanceof Error ? err.message : err}`);
    }
    return undefined;
  }
  await host.load(file);
  return file;
}

async function captureFromProcess(target?: string): Promise<string | undefined> {
  target ??= await pickTarget('Capture heap snapshot from process');
  return target ? capture(target) : undefined;
}

/**
 * The debuggee of the active Node debug session. js-debug runs the process
 * in a child session whose configuration names neither port nor program,
 * so the parents are read too: an attach configuration names its port or
 * process; a launch one runs `program`, whose node js-debug has given an
 * inspector (found among the processes; picked at once when it is the only
 * one).
 */
async function captureFromDebugSession(): Promise<string | undefined> {
  const s = vscode.debug.activeDebugSession;
  if (!s) {
    vscode.window.showErrorMessage('leaklsp: no active debug session.');
    return undefined;
  }
  const configs: vscode.DebugConfiguration[] = [];
  for (let x: vscode.DebugSession | undefined = s; x; x = x.parentSession) {
    configs.push(x.configuration);
  }
  host.output.appendLine(
    `debug session "${s.name}" (${s.type}): ` + configs.map((c) => `${c.request} ${c.port ?? c.processId ?? c.program ?? ''}`).join(' <- '),
  );
  const attach = configs.find((c) => c.request === 'attach' && c.port);
  if (attach) {
    return capture(`${attach.address ?? '127.0.0.1'}:${attach.port}`);
  }
  const byPid = configs.find((c) => c.processId && /^\d+$/.test(String(c.processId)));
  if (byPid) {
    return capture(`pid:${byPid.processId}`);
  }
  const program = configs.map((c) => c.program).find((p): p is string => typeof p === 'string' && p !== '') ?? '';
  const target = await pickTarget(
    `Capture from debug session "${s.name}"`,
    (p) => !program || p.command.includes(path.basename(program)),
    !!program,
  );
  return target ? capture(target) : undefined;
}

/** Baseline, wait (a duration or a command), target; then load the pair. */
async function findGrowth(target?: string, wait?: string): Promise<void> {
  target ??= await pickTarget('Find growth in process');
  if (!target) {
    return;
  }
  wait ??= await vscode.window.showInputBox({
    title: 'Between the snapshots',
    prompt: 'Wait this long (e.g. 30s, 2m), or run this shell command (e.g. a load script)',
    value: '30s',
  });
  if (!wait) {
    return;
  }
  const dir = captureFolder();
  if (!dir) {
    vscode.window.showErrorMessage('leaklsp: open a folder first: captures are saved in it (leaklsp.captureFolder).');
    return;
  }
  const args = ['watch', '--capture-only', '-o', dir];
  args.push(...(/^\d+(\.\d+)?(ms|s|m|h)$/.test(wait.trim()) ? ['--after', wait.trim()] : ['--run', wait]), target);
  let out: string;
  try {
    out = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Finding growth in ${target} (baseline, ${wait}, target)`, cancellable: true },
      (_, token) => run(args, token),
    );
  } catch (err) {
    if (!(err instanceof vscode.CancellationError)) {
      vscode.window.showErrorMessage(`leaklsp: growth capture failed: ${err instanceof Error ? err.message : err}`);
    }
    return;
  }
  const [baseline, snapshot] = out.trim().split('\n');
  await host.load(snapshot, baseline);
}

function stamp(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

// ---- the Leak Suspects view ------------------------------------------------

type Node = {
  label: string;
  description?: string;
  tooltip?: string;
  location?: Location;
  children?: () => Promise<Node[]> | Node[];
  icon?: string;
};

function human(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return i === 0 ? `${n} B` : `${n.toFixed(1)} ${units[i]}`;
}

function hopNodes(path: Hop[]): Node[] {
  return path.map((h) => ({ label: `.${h.edge} → ${h.node}`, location: h.location, icon: h.location ? 'symbol-field' : 'circle-small' }));
}

async function ask<T>(method: string, params: unknown): Promise<T | undefined> {
  const c = host.client();
  if (!c?.isRunning()) {
    return undefined;
  }
  return c.sendRequest<T>(method, params);
}

class SuspectsTree implements vscode.TreeDataProvider<Node> {
  private changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(n: Node): vscode.TreeItem {
    const item = new vscode.TreeItem(n.label, n.children ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.description = n.description;
    item.tooltip = n.tooltip ?? n.label;
    if (n.icon) {
      item.iconPath = new vscode.ThemeIcon(n.icon);
    }
    if (n.location) {
      const uri = vscode.Uri.parse(n.location.uri);
      const r = n.location.range;
      item.command = {
        command: 'vscode.open',
        title: 'Go to source',
        arguments: [uri, { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) }],
      };
    }
    return item;
  }

  async getChildren(n?: Node): Promise<Node[]> {
    if (n) {
      return n.children ? await n.children() : [];
    }
    const res = await ask<{ snapshot: string; suspects: Suspect[] }>('leaklsp/suspects', {});
    if (!res?.snapshot) {
      return [{ label: 'No heap snapshot loaded', description: 'Leak: Capture Heap Snapshot from Process…', icon: 'info' }];
    }
    const suspects: Node[] = res.suspects.map((s) => ({
      label: `${s.code} ${s.count} objects`,
      description: `${human(s.retainedBytes)} retained`,
      tooltip: s.message,
      location: s.location,
      icon: 'warning',
      children: () => hopNodes(s.path),
    }));
    return [
      { label: 'Suspects', description: `${suspects.length}`, icon: 'bug', children: () => suspects },
      { label: 'By constructor', icon: 'symbol-class', children: () => this.summary('constructor') },
      { label: 'By source site', icon: 'list-tree', children: () => this.summary('site') },
    ];
  }

  private async summary(groupBy: 'constructor' | 'site'): Promise<Node[]> {
    const res = await ask<{ rows: SummaryRow[] }>('leaklsp/summary', { groupBy, limit: 200 });
    return (res?.rows ?? []).map((r) => ({
      label: groupBy === 'site' ? r.name : `${r.name} ×${r.count}`,
      description: groupBy === 'site' ? where(r.location) : `${human(r.retainedBytes)} retained`,
      location: r.location,
      icon: groupBy === 'site' ? 'symbol-function' : 'symbol-class',
      children: r.sites?.length
        ? () => r.sites!.map((s) => ({ label: s.label, description: where(s.location), location: s.location, icon: 'symbol-function' }))
        : undefined,
    }));
  }
}

function where(loc?: Location): string {
  return loc ? `${path.basename(vscode.Uri.parse(loc.uri).fsPath)}:${loc.range.start.line + 1}` : '';
}

/** The CodeLens command: the retainer paths of a site, in a quick pick whose items open the hops' lines. */
async function showRetainers(arg?: { uri: string; position: { line: number; character: number } }): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const params = arg
    ? { textDocument: { uri: arg.uri }, position: arg.position }
    : editor
      ? { textDocument: { uri: editor.document.uri.toString() }, position: { line: editor.selection.active.line, character: 0 } }
      : undefined;
  if (!params) {
    return;
  }
  const res = await ask<{ sites: SiteInfo[] }>('leaklsp/retainers', params);
  type Item = vscode.QuickPickItem & { location?: Location };
  const items: Item[] = [];
  for (const s of res?.sites ?? []) {
    items.push({ label: s.label, kind: vscode.QuickPickItemKind.Separator });
    (s.paths ?? []).forEach((p, i) => {
      p.forEach((h, j) =>
        items.push({ label: `${'  '.repeat(Math.min(j, 8))}.${h.edge} → ${h.node}`, description: j === 0 ? `path ${i + 1}` : where(h.location), location: h.location }),
      );
    });
  }
  if (items.length === 0) {
    vscode.window.showInformationMessage('leaklsp: the heap snapshot has no live objects for this line.');
    return;
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Retainers', matchOnDescription: true });
  if (picked?.location) {
    const r = picked.location.range;
    await vscode.window.showTextDocument(vscode.Uri.parse(picked.location.uri), {
      selection: new vscode.Range(r.start.line, r.start.character, r.start.line, r.start.character),
    });
  }
}
