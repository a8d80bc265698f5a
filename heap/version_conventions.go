package heap

import "strings"

// oddballNames are the node names V8 13+ (Node 24+) gives oddballs: hidden
// nodes named by their value. Older V8 names them all "system / Oddball"
// and puts the value behind the first hidden edge.
var oddballNames = map[string]bool{"true": true, "false": true, "null": true, "undefined": true}

// oddballValue returns "true", "false", "null" or "undefined" for V8
// oddballs in either naming, "" for anything else.
func (p *Pass) oddballValue(v uint32) string {
	if p.NodeKinds[v] != NodeHidden {
		return ""
	}
	if p.NodeNames[v] == p.n.oddball {
		for e := p.FirstEdge[v]; e < p.FirstEdge[v+1]; e++ {
			if p.EdgeKind(e) == EdgeHidden {
				return p.Name(p.EdgeTo(e))
			}
		}
		return ""
	}
	if p.n.oddballs[p.NodeNames[v]] {
		return p.Name(v)
	}
	return ""
}

// resourceStore returns the AsyncLocalStorage store an async resource
// (a Timeout) holds. V8 9+ names the property after the symbol,
// `<symbol kResourceStore>`; V8 8 and older (Node ≤ 14) write every symbol
// property as `<symbol>`, and among a Timeout's symbol properties (ids,
// flags) only the store is an object.
func (p *Pass) resourceStore(v uint32) (uint32, bool) {
	if t, ok := p.edgeTo(v, EdgeProperty, p.n.resourceStore); ok && p.oddballValue(t) == "" {
		return t, true
	}
	if p.n.symbolAnon == noString {
		return 0, false
	}
	for e := p.FirstEdge[v]; e < p.FirstEdge[v+1]; e++ {
		if t := p.EdgeTo(e); p.EdgeKind(e) == EdgeProperty && p.EdgeNameOrIndex(e) == p.n.symbolAnon && p.NodeKinds[t] == NodeObject {
			return t, true
		}
	}
	return 0, false
}

// nodeBuiltins are the ids of Node.js's own modules as Node 12-14 name
// their scripts (no `node:` prefix, no directory: "events.js",
// "_http_server.js"); "internal/…" covers the rest. Newer Node names them
// "node:events", which IsAppScript rejects by prefix.
var nodeBuiltins = map[string]bool{
	"_http_agent": true, "_http_client": true, "_http_common": true, "_http_incoming": true,
	"_http_outgoing": true, "_http_server": true, "_stream_duplex": true, "_stream_passthrough": true,
	"_stream_readable": true, "_stream_transform": true, "_stream_wrap": true, "_stream_writable": true,
	"_tls_common": true, "_tls_wrap": true, "assert": true, "async_hooks": true, "buffer": true,
	"child_process": true, "cluster": true, "console": true, "constants": true, "crypto": true,
	"dgram": true, "diagnostics_channel": true, "dns": true, "domain": true, "events": true, "fs": true,
	"http": true, "http2": true, "https": true, "inspector": true, "module": true, "net": true, "os": true,
	"path": true, "perf_hooks": true, "process": true, "punycode": true, "querystring": true,
	"readline": true, "repl": true, "stream": true, "string_decoder": true, "sys": true, "timers": true,
	"tls": true, "trace_events": true, "tty": true, "url": true, "util": true, "v8": true, "vm": true,
	"wasi": true, "worker_threads": true, "zlib": true,
}

// IsBuiltinScript reports whether a script name is Node.js's own code in
// any naming: "node:events" (Node 16+), "internal/timers", or a bare
// builtin id like "events.js" (Node ≤ 14). Application scripts are always
// absolute paths or URLs, so a bare relative name is never the user's.
func IsBuiltinScript(script string) bool {
	if strings.HasPrefix(script, "node:") || strings.HasPrefix(script, "internal/") {
		return true
	}
	if strings.ContainsAny(script, `\:`) || strings.HasPrefix(script, "/") {
		return false
	}
	id := strings.TrimSuffix(script, ".js")
	if nodeBuiltins[id] {
		return true
	}
	// Sub-modules of builtins: "fs/promises.js", "stream/web.js", "path/posix".
	if i := strings.IndexByte(id, '/'); i > 0 && nodeBuiltins[id[:i]] {
		return true
	}
	return false
}

// IsAppScript reports whether a script is application code: not a Node.js
// builtin in any version's naming, not anonymous, and not under
// node_modules unless asked.
func IsAppScript(script string, includeNodeModules bool) bool {
	if script == "" || IsBuiltinScript(script) {
		return false
	}
	return includeNodeModules || !strings.Contains(script, "/node_modules/") && !strings.Contains(script, `\node_modules\`)
}
