// Package lsp is leaklsp's language server: a thin protocol layer over the
// report and workspace packages. It keeps open documents, scans them with
// jsscan, loads heap snapshots on command, and publishes the merged
// diagnostics, with quick fixes and hovers.
//
// The interface editors code against:
//
// Capabilities: incremental text sync (openClose, save), hover, code
// actions of kinds "quickfix" and "source.fixAll.leaklsp", and these
// workspace/executeCommand ids:
//
//	leaklsp.server.openSnapshot     [{"path": "/abs/x.heapsnapshot[.gz]"}] or ["/abs/x…"]
//	leaklsp.server.compareSnapshots [{"baseline": "/abs/old…", "target": "/abs/new…"}]
//	leaklsp.server.closeSnapshot    (no arguments)   -> {"closed": true}
//	leaklsp.server.scanWorkspace    (no arguments)   -> {"findings": N}
//
// openSnapshot and compareSnapshots reply when loading and analysis are done:
//
//	{"path": "…", "baseline": "…"?, "nodes": N, "edges": N, "suspects": N, "files": N, "unmapped": N}
//
// with $/progress begin/report/end meanwhile (on the request's
// workDoneToken, or on a token from window/workDoneProgress/create when the
// client announced window.workDoneProgress), window/showMessage Info
// "leaklsp: loaded <file>: N suspects in M files" on success, and on failure
// an error reply (-32803, RequestFailed) plus window/showMessage Error with
// the reason. $/cancelRequest answers -32800 at once. Paths may be file://
// URIs; relative ones resolve against the first workspace folder.
//
// Settings come from initializationOptions and
// workspace/didChangeConfiguration, as {"settings": {"leaklsp": {…}}},
// {"leaklsp": {…}} or the bare object:
//
//	{"snapshot": "path", "baseline": "path", "pathMappings": {"/srv/app": "."},
//	 "rules": {"LEAK001": false}, "includeNodeModules": false, "debounceMs": 200}
//
// A snapshot setting loads at startup and whenever it changes (an empty one
// closes the snapshot).
//
// Diagnostics: source "leaklsp", code LEAKnnn with codeDescription.href
// https://github.com/leaklsp/leaklsp/blob/main/docs/rules/<CODE>.md,
// severity Error when a heap snapshot confirms the leak and Warning for
// static findings, relatedInformation for retainer-path hops and other
// sites in the workspace, data {"code", "evidence": "static"|"heap"|"both",
// "staticCode"?, "fixes", "count"?, "retainedBytes"?}, and the document
// version for open documents.
package lsp
