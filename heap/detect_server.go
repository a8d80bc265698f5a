package heap

import (
	"fmt"
	"strings"
)

// minDroppedServers is how many dropped servers from one site make a
// suspect: `http.createServer(app).listen(port)` without keeping the server
// is one normal server; several from one site are servers per request or
// per tenant that are never closed.
const minDroppedServers = 3

// ServerNotClosedDetector finds net/http/https/tls servers that nothing in
// the application references any more but that stay alive through Node's
// own machinery: the listening handle, or a timer bound to the server.
var ServerNotClosedDetector = &Detector{
	Name: "server-not-closed",
	Code: CodeServerNotClosed,
	Doc: `Finds Server objects (net, http, https, tls) that the application no longer
references but that are still alive because Node keeps them: a listening
server's handle, or a timer bound to the server (http's connections-checking
interval, which on Node 18.16 and 20.3 — nodejs/node#48604 — runs even for a
server that never listened). Such a server, its request handler and
everything the handler captures live until close(). Grouped by where the
servers were created (allocation stacks) or by their request handler.`,
	Run: runServerNotClosed,
}

type serverGroup struct {
	site    Site
	members []uint32
	byTimer int // kept by a timer bound to the server (no handle)
	handler bool
	alloc   bool
}

func runServerNotClosed(p *Pass) []Suspect {
	idx := p.Strings.indexesOf("Server", "WebSocketServer", "_handle", "<symbol owner_symbol>", "_events", "request", "connection",
		"Socket", "server", "_server", "secureConnection")
	names := setOf(idx[0], idx[1])
	conns := setOf(idx[2]) // net.Server and its subclasses; Smi fields have no edge
	owner := setOf(idx[3])
	if len(names) == 0 || len(conns) == 0 {
		return nil
	}
	ls := serverListeners{events: setOf(idx[4]), names: setOf(idx[5], idx[6], idx[10]), socket: idx[7], server: idx[8], serverPriv: idx[9]}
	groups := map[Site]*serverGroup{}
	var order []Site
	for v := range uint32(p.NodeCount()) {
		if p.NodeKinds[v] != NodeObject || !names[p.NodeNames[v]] || p.isExplained(v) || !p.hasEdgeIn(v, conns) {
			continue
		}
		byTimer, ok := p.keptOnlyByRuntime(v, owner, ls)
		if !ok {
			continue
		}
		site, alloc, ok := p.serverSite(v, ls)
		if !ok {
			continue
		}
		key := siteKeyOf(site)
		g := groups[key]
		if g == nil {
			g = &serverGroup{site: site, alloc: alloc, handler: !alloc}
			groups[key] = g
			order = append(order, key)
		}
		g.members = append(g.members, v)
		if byTimer {
			g.byTimer++
		}
	}
	var out []Suspect
	for _, key := range order {
		if g := groups[key]; len(g.members) >= minDroppedServers {
			out = append(out, p.serverSuspect(g))
		}
	}
	return out
}

// hasEdgeIn reports whether v has a property edge named one of names.
func (p *Pass) hasEdgeIn(v uint32, names map[uint32]bool) bool {
	for e := p.FirstEdge[v]; e < p.FirstEdge[v+1]; e++ {
		if p.EdgeKinds[e] == EdgeProperty && names[p.EdgeNames[e]] {
			return true
		}
	}
	return false
}

// keptOnlyByRuntime reports whether every retainer of server v is Node's
// own: its listening handle (`<symbol owner_symbol>`), the sockets it
// accepted (`server`, `_server`), a Timeout, a bound
// function whose receiver it is (http's checkConnections), or V8-internal
// storage. byTimer says a timer (not a handle) keeps it.
func (p *Pass) keptOnlyByRuntime(v uint32, owner map[uint32]bool, ls serverListeners) (byTimer, ok bool) {
	handle := false
	own, _ := p.edgeTo(v, EdgeProperty, p.n.handle)
	for r := p.FirstRetainer[v]; r < p.FirstRetainer[v+1]; r++ {
		e, from := p.RetainerEdge[r], p.RetainerSource(r)
		switch {
		case p.EdgeKinds[e] == EdgeWeak:
		case p.EdgeKinds[e] == EdgeProperty && (owner[p.EdgeNames[e]] || from == own && p.NodeKinds[own] == NodeObject):
			handle = true // the listening handle's owner link (Node 12 names it "<symbol>")
		case p.NodeKinds[from] == NodeObject && p.NodeNames[from] == ls.socket && (p.EdgeNames[e] == ls.server || p.EdgeNames[e] == ls.serverPriv):
			handle = true // a connection it accepted: alive through its own handle
		case p.NodeNames[from] == p.n.sysContext && p.builtinScope(from):
			// a scope of Node's own code (listen's lookup callback)
		case p.NodeKinds[from] == NodeObject && p.NodeNames[from] == p.n.timeout:
			byTimer = true
		case p.NodeKinds[from] == NodeClosure && p.EdgeKinds[e] == EdgeInternal && p.EdgeNames[e] == p.n.boundThis:
			if !p.builtinBound(from) {
				return false, false
			}
			byTimer = true
		case p.EdgeKinds[e] == EdgeHidden && p.NodeKinds[from] != NodeObject && p.NodeKinds[from] != NodeClosure:
			// the server's own property/element backing stores
		default:
			return false, false
		}
	}
	return byTimer && !handle, byTimer || handle
}

// builtinScope reports whether every closure using context c is Node's
// own code.
func (p *Pass) builtinScope(c uint32) bool {
	n := 0
	for r := p.FirstRetainer[c]; r < p.FirstRetainer[c+1]; r++ {
		from := p.RetainerSource(r)
		if p.NodeKinds[from] != NodeClosure || !p.named(p.RetainerEdge[r], p.n.context) {
			continue
		}
		site, ok := p.Loc.Site(from)
		if !ok || !IsBuiltinScript(site.Script) {
			return false
		}
		n++
	}
	return n > 0
}

// builtinBound reports whether bound function b calls Node's own code.
func (p *Pass) builtinBound(b uint32) bool {
	t, _ := p.unbind(b)
	site, ok := p.Loc.Site(t)
	return ok && IsBuiltinScript(site.Script)
}

// serverListeners are the string indexes of a server's `_events` edge, of
// the listener names that identify its handler, and of the Socket edges
// back to the server that accepted it.
type serverListeners struct {
	events, names              map[uint32]bool
	socket, server, serverPriv uint32
}

// serverSite is where to blame server v: the first application frame of
// its allocation stack, else its request (http, https), secureConnection
// (tls) or connection (net) listener.
func (p *Pass) serverSite(v uint32, ls serverListeners) (site Site, alloc, ok bool) {
	if s, ok := p.Loc.AllocationSite(v, p.Opts.IncludeNodeModules); ok {
		return s, true, true
	}
	listeners := ls.names
	for e := p.FirstEdge[v]; e < p.FirstEdge[v+1]; e++ {
		if p.EdgeKinds[e] != EdgeProperty || !ls.events[p.EdgeNames[e]] {
			continue
		}
		ev := p.EdgeTo[e]
		for e2 := p.FirstEdge[ev]; e2 < p.FirstEdge[ev+1]; e2++ {
			if p.EdgeKinds[e2] != EdgeProperty || !listeners[p.EdgeNames[e2]] || p.NodeKinds[p.EdgeTo[e2]] != NodeClosure {
				continue
			}
			if s, ok := p.Loc.Site(p.EdgeTo[e2]); ok && p.appSite(s) {
				return s, false, true
			}
		}
	}
	return Site{}, false, false
}

func (p *Pass) serverSuspect(g *serverGroup) Suspect {
	for _, v := range g.members {
		p.explain(v)
	}
	s, _ := p.groupSuspect(g.site, g.members, p.retainedOf(g.members))
	where := "created here"
	if g.handler {
		where = "whose request/connection handler is " + displayFunction(g.site.Function)
	}
	var why []string
	if n := len(g.members) - g.byTimer; n > 0 {
		why = append(why, fmt.Sprintf("%d still listening (their handle keeps them)", n))
	}
	if g.byTimer > 0 {
		why = append(why, fmt.Sprintf("%d kept by a timer bound to the server", g.byTimer))
	}
	s.Message = fmt.Sprintf("%d Server objects %s are no longer referenced by the application but never closed: %s — %s retained.",
		len(g.members), where, strings.Join(why, ", "), FormatBytes(s.RetainedBytes))
	if g.byTimer > 0 && BugServerInterval.Affects(p.Version) {
		s.Message += " " + bugNote(BugServerInterval, p.Version)
	}
	s.Advice = "close() it: call server.close() when the server is no longer needed (and keep a reference until then); a server that is dropped without close() lives, with its handler and everything it captures, as long as the process."
	return s
}
