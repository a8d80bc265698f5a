// leaklsp for VS Code: runs the leaklsp language server for JavaScript and
// TypeScript files and adds "Leak: …" commands to load V8 heap snapshots,
// whose leak suspects then show up as diagnostics on the leaking lines.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
  WorkDoneProgress,
  WorkDoneProgressBegin,
  WorkDoneProgressReport,
} from 'vscode-languageclient/node';
import { registerExplore, snapshotChanged } from './explore';

// The server's command ids. vscode-languageclient registers every id the
// server advertises as a VS Code command, so ours (leaklsp.openSnapshot, …)
// must differ from these or the client fails to start.
const SERVER = {
  openSnapshot: 'leaklsp.server.openSnapshot',
  compareSnapshots: 'leaklsp.server.compareSnapshots',
  closeSnapshot: 'leaklsp.server.closeSnapshot',
  scanWorkspace: 'leaklsp.server.scanWorkspace',
};

const SNAPSHOT_FILTERS = { 'Heap snapshots (.heapsnapshot, .heapsnapshot.gz)': ['heapsnapshot', 'gz'] };

/** What leaklsp.server.openSnapshot / compareSnapshots return. */
interface SnapshotResult {
  path: string;
  nodes: number;
  edges: number;
  suspects: number;
  files: number;
}

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let status: vscode.StatusBarItem;
let loaded: { target: string; baseline?: string; result?: SnapshotResult } | undefined;
let progressSeq = 0;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('leaklsp');
  status = vscode.window.createStatusBarItem('leaklsp.snapshot', vscode.StatusBarAlignment.Left, 10);
  status.name = 'leaklsp heap snapshot';
  status.command = 'leaklsp.openSnapshot';
  context.subscriptions.push(output, status);

  const register = (id: string, fn: (...args: any[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  register('leaklsp.openSnapshot', (uri?: vscode.Uri) => openSnapshot(uri));
  register('leaklsp.compareSnapshots', (uri?: vscode.Uri) => compareSnapshots(uri));
  register('leaklsp.closeSnapshot', closeSnapshot);
  register('leaklsp.scanWorkspace', scanWorkspace);
  register('leaklsp.restart', () => restart(context));
  register('leaklsp.showOutput', () => output.show(true));
  // Capture from processes, the Leak Suspects view, the CodeLens command (explore.ts).
  registerExplore(context, { client: () => client, serverPath: () => serverPath(context), load: runSnapshotCommand, output });

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => onConfigurationChanged(e, context)),
    vscode.window.tabGroups.onDidChangeTabs((e) => e.opened.forEach(offerToLoad)),
    { dispose: () => void stopClient() },
  );
  showStatus();
  await startClient(context);
}

export function deactivate(): Thenable<void> | undefined {
  return stopClient();
}

// ---- server lifecycle ------------------------------------------------------

const exeName = process.platform === 'win32' ? 'leaklsp.exe' : 'leaklsp';

/**
 * The server binary: the setting, then the one bundled in a platform .vsix,
 * then the npm package in a workspace folder (`npm install -D leaklsp`), then
 * PATH. The universal .vsix bundles none and relies on the last two.
 */
function serverPath(context: vscode.ExtensionContext): string | undefined {
  const configured = vscode.workspace.getConfiguration('leaklsp').get<string>('server.path', '').trim();
  if (configured) {
    return configured;
  }
  const bundled = context.asAbsolutePath(path.join('bin', exeName));
  if (fs.existsSync(bundled)) {
    return bundled;
  }
  return workspacePackageBinary() ?? onPath(exeName);
}

/**
 * The native binary of the leaklsp npm package installed in a workspace
 * folder: @leaklsp/<platform>-<arch>/bin/leaklsp, run directly rather than
 * through the node shim in node_modules/.bin (no node needed on PATH, no
 * .cmd wrapper on Windows). Only in trusted workspaces: the workspace's
 * node_modules is code the user has not vouched for otherwise.
 */
function workspacePackageBinary(): string | undefined {
  if (!vscode.workspace.isTrusted) {
    return undefined;
  }
  const pkg = `@leaklsp/${process.platform}-${process.arch}`;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') {
      continue;
    }
    const exe = path.join(folder.uri.fsPath, 'node_modules', pkg, 'bin', exeName);
    if (fs.existsSync(exe)) {
      return exe;
    }
  }
  return undefined;
}

function onPath(exe: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, exe))) {
      return path.join(dir, exe);
    }
  }
  return undefined;
}

/** The settings the server reads, with relative path mappings made absolute. */
function serverSettings(): object {
  const config = vscode.workspace.getConfiguration('leaklsp');
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const mappings: Record<string, string> = {};
  for (const [from, to] of Object.entries(config.get<Record<string, string>>('pathMappings', {}))) {
    let local = to.replace(/\$\{workspaceFolder\}/g, root ?? '');
    if (root && !path.isAbsolute(local)) {
      local = path.resolve(root, local);
    }
    mappings[from] = local;
  }
  return {
    pathMappings: mappings,
    rules: config.get<Record<string, boolean>>('rules', {}),
    includeNodeModules: config.get<boolean>('includeNodeModules', false),
    lens: config.get<object>('lens', {}),
  };
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const command = serverPath(context);
  if (!command) {
    const choice = await vscode.window.showErrorMessage(
      'leaklsp: no leaklsp server found. Install it in this workspace (npm install -D leaklsp) or globally ' +
        '(npm install -g leaklsp), set "leaklsp.server.path", or install the leaklsp .vsix for your platform, which carries it.',
      'Open Settings',
      'Copy npm Command',
    );
    if (choice === 'Copy npm Command') {
      await vscode.env.clipboard.writeText('npm install -D leaklsp');
    } else if (choice) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'leaklsp.server.path');
    }
    return;
  }
  // TransportKind.stdio appends --stdio: the server runs as `leaklsp serve --stdio`.
  const serverOptions: ServerOptions = { command, args: ['serve'], transport: TransportKind.stdio };
  const languages = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact'];
  const clientOptions: LanguageClientOptions = {
    documentSelector: languages.map((language) => ({ scheme: 'file', language })),
    initializationOptions: serverSettings(),
    outputChannel: output,
    middleware: {
      workspace: {
        // Answer workspace/configuration with the same resolved settings.
        configuration: (params, token, next) =>
          params.items.some((item) => item.section === 'leaklsp')
            ? params.items.map((item) => (item.section === 'leaklsp' ? serverSettings() : null))
            : next(params, token),
      },
    },
  };
  client = new LanguageClient('leaklsp', 'leaklsp', serverOptions, clientOptions);
  output.appendLine(`starting ${command}`);
  try {
    await client.start();
  } catch (err) {
    output.appendLine(`start failed: ${err}`);
    vscode.window.showErrorMessage(`leaklsp: the server failed to start: ${err}`, 'Show Output').then((c) => c && output.show());
    return;
  }
  if (loaded) {
    // Restarted: bring the snapshot back.
    const { target, baseline } = loaded;
    loaded = undefined;
    await (baseline ? runSnapshotCommand(target, baseline) : runSnapshotCommand(target));
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop();
    } catch (err) {
      output.appendLine(`stop failed: ${err}`);
    }
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stopClient();
  await startClient(context);
}

function onConfigurationChanged(e: vscode.ConfigurationChangeEvent, context: vscode.ExtensionContext): void {
  if (e.affectsConfiguration('leaklsp.server.path')) {
    void restart(context);
    return;
  }
  if (e.affectsConfiguration('leaklsp') && client?.isRunning()) {
    void client.sendNotification(DidChangeConfigurationNotification.type, { settings: { leaklsp: serverSettings() } });
  }
}

// ---- snapshot commands -------------------------------------------------------

function isSnapshot(p: string): boolean {
  return /\.heapsnapshot(\.gz)?$/i.test(p);
}

async function pickSnapshot(title: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title,
    canSelectMany: false,
    canSelectFolders: false,
    openLabel: 'Load',
    filters: SNAPSHOT_FILTERS,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0]?.fsPath;
}

async function openSnapshot(uri?: vscode.Uri): Promise<void> {
  const target = uri?.fsPath ?? (await pickSnapshot('Open heap snapshot'));
  if (target) {
    await runSnapshotCommand(target);
  }
}

async function compareSnapshots(uri?: vscode.Uri): Promise<void> {
  const target = uri?.fsPath ?? loaded?.target ?? (await pickSnapshot('Heap snapshot to analyze (target)'));
  if (!target) {
    return;
  }
  const baseline = await pickSnapshot(`Baseline snapshot to compare ${path.basename(target)} with`);
  if (baseline) {
    await runSnapshotCommand(target, baseline);
  }
}

/** Loads target (compared with baseline, if given), showing progress in the status bar. */
async function runSnapshotCommand(target: string, baseline?: string): Promise<void> {
  if (!client?.isRunning()) {
    vscode.window.showErrorMessage('leaklsp: the language server is not running.', 'Show Output').then((c) => c && output.show());
    return;
  }
  const token = `leaklsp-load-${++progressSeq}`;
  const name = path.basename(target);
  showStatus(`$(loading~spin) leak: loading ${name}`);
  // The server reports progress on the request's workDoneToken.
  const listener = client.onProgress(WorkDoneProgress.type, token, (p) => {
    if (p.kind !== 'end') {
      const pct = (p as WorkDoneProgressBegin | WorkDoneProgressReport).percentage;
      showStatus(`$(loading~spin) leak: loading ${name}${pct !== undefined ? ` ${pct}%` : ''}`);
    }
  });
  const params = baseline
    ? { command: SERVER.compareSnapshots, arguments: [{ baseline, target }], workDoneToken: token }
    : { command: SERVER.openSnapshot, arguments: [{ path: target }], workDoneToken: token };
  try {
    const result = (await client.sendRequest(ExecuteCommandRequest.type, params)) as SnapshotResult | null;
    loaded = { target, baseline, result: result ?? undefined };
    output.appendLine(`loaded ${target}${baseline ? ` (baseline ${baseline})` : ''}: ${JSON.stringify(result)}`);
    snapshotChanged();
  } catch (err) {
    // The server also shows its own message (window/showMessage).
    output.appendLine(`loading ${target} failed: ${err instanceof Error ? err.message : err}`);
  } finally {
    listener.dispose();
    showStatus();
  }
}

async function closeSnapshot(): Promise<void> {
  if (client?.isRunning()) {
    await client.sendRequest(ExecuteCommandRequest.type, { command: SERVER.closeSnapshot, arguments: [] });
  }
  loaded = undefined;
  showStatus();
  snapshotChanged();
}

async function scanWorkspace(): Promise<void> {
  if (!client?.isRunning()) {
    return;
  }
  await client.sendRequest(ExecuteCommandRequest.type, { command: SERVER.scanWorkspace, arguments: [] });
}

/** The status-bar item: the loaded snapshot, a loading message, or nothing. */
function showStatus(loading?: string): void {
  void vscode.commands.executeCommand('setContext', 'leaklsp.snapshotLoaded', !!loaded);
  if (loading) {
    status.text = loading;
    status.tooltip = 'leaklsp is loading a heap snapshot';
    status.show();
    return;
  }
  if (!loaded) {
    status.hide();
    return;
  }
  const r = loaded.result;
  status.text = `$(pulse) leak: ${path.basename(loaded.target)}${r ? ` · ${count(r.suspects, 'suspect')}` : ''}`;
  const lines = [`Heap snapshot: ${loaded.target}`];
  if (loaded.baseline) {
    lines.push(`Baseline: ${loaded.baseline}`);
  }
  if (r) {
    lines.push(`${r.nodes} nodes, ${r.edges} edges, ${count(r.suspects, 'suspect')} in ${count(r.files, 'file')}`);
  }
  lines.push('Click to open another snapshot.');
  status.tooltip = lines.join('\n');
  status.show();
}

// ---- offer to load snapshots opened from the explorer ---------------------------

const offered = new Set<string>();

function offerToLoad(tab: vscode.Tab): void {
  const input = tab.input;
  const uri =
    input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri : undefined;
  if (!uri || uri.scheme !== 'file' || !isSnapshot(uri.fsPath) || offered.has(uri.fsPath)) {
    return;
  }
  offered.add(uri.fsPath);
  if (loaded?.target === uri.fsPath) {
    return;
  }
  void vscode.window
    .showInformationMessage(`Load ${path.basename(uri.fsPath)} into leaklsp to find leaking source lines?`, 'Load Snapshot')
    .then((choice) => choice && runSnapshotCommand(uri.fsPath));
}

/** count is n with its noun: "1 suspect", "3 suspects". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
