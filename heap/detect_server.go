package heap

// minDroppedServers is how many dropped servers from one site make a
// suspect: `http.createServer(app).listen(port)` without keeping the server
// is one normal server; several from one site are servers per request or
// per tenant that are never closed.
const minDroppedServers = 3

// ServerNotClosedDetector finds net/http/https/tls servers, and the
// WebSocketServers (npm ws) built on them, that nothing in the application
// references any more but that stay alive through Node's own machinery:
// the listening handle, or a timer.
var ServerNotClosedDetector = &Detector{
	Name: "server-not-closed",
	Code: CodeServerNotClosed,
	Doc: `Finds Server objects (net, http, https, tls) and the WebSocketServers of the
ws package built on them that the application no longer references but that
are still alive because Node keeps them: a listening server's handle, a
connection it accepted, or a timer (http's connections-checking interval,
which on Node 18.16 and 20.3 — nodejs/node#48604 — runs even for a server
that never listened and which https close() did not stop before 18.19 and
20.4 — nodejs/node#48373 —, or an application heartbeat whose scope holds
the server). Such a server, its handlers and everything they capture live
until close(). Grouped by where the servers were created (allocation stacks)
or by their request/connection handler.`,
	Run: runServerNotClosed,
}

// serverGroup is the dropped servers of one site.
type serverGroup struct {
	site        Site
	members     []uint32 // the servers
	wrappers    []uint32 // the WebSocketServers built on them
	closed      int      // closed, kept by a timer
	unlistened  int      // never listened, kept by a timer
	builtin     bool     // a timer of Node's own code keeps some of them
	connections int      // open connections they accepted
	appTimer    uint32   // one application timer that also keeps them, or none
	handler     bool
}

func runServerNotClosed(p *Pass) []Suspect {
	idx := p.Strings.indexesOf("Server", "WebSocketServer", "_handle", "<symbol owner_symbol>", "_events", "request", "connection",
		"server", "_server", "secureConnection", "_connectionKey", "HTTPParser")
	m := &serverMarks{servers: setOf(idx[0], idx[1]), parser: idx[11], owner: setOf(idx[3]), server: idx[7], private: idx[8], wsServer: idx[8]}
	conns := setOf(idx[2]) // net.Server and its subclasses; Smi fields have no edge
	if len(m.servers) == 0 || len(conns) == 0 {
		return nil
	}
	ls := serverListeners{events: setOf(idx[4]), names: setOf(idx[5], idx[6], idx[9]), connection: idx[6]}
	listened := setOf(idx[10]) // set by listen(), kept after close()
	groups := map[Site]*serverGroup{}
	var order []Site
	for v := range uint32(p.NodeCount()) {
		if p.NodeKinds[v] != NodeObject || !m.servers[p.NodeNames[v]] || p.isExplained(v) || !p.hasEdgeIn(v, conns) {
			continue
		}
		k, ok := p.serverKeepers(v, m)
		if !ok {
			continue
		}
		site, alloc, ok := p.serverSite(v, k.wrapper, ls)
		if !ok {
			continue
		}
		key := siteKeyOf(site)
		g := groups[key]
		if g == nil {
			g = &serverGroup{site: site, handler: !alloc, appTimer: none}
			groups[key] = g
			order = append(order, key)
		}
		g.add(v, &k, p.hasEdgeIn(v, listened))
	}
	var out []Suspect
	for _, key := range order {
		if g := groups[key]; len(g.members) >= minDroppedServers {
			out = append(out, p.serverSuspect(g))
		}
	}
	return out
}

// add counts server v, kept by k, into the group.
func (g *serverGroup) add(v uint32, k *serverKeep, listened bool) {
	g.members = append(g.members, v)
	if k.wrapper != none {
		g.wrappers = append(g.wrappers, k.wrapper)
	}
	switch {
	case k.listening:
	case listened:
		g.closed++
	default:
		g.unlistened++
	}
	g.builtin = g.builtin || k.builtinTimer
	g.connections += k.connections
	if g.appTimer == none {
		g.appTimer = k.appTimer
	}
}

// hasEdgeIn reports whether v has a property edge named one of names.
func (p *Pass) hasEdgeIn(v uint32, names map[uint32]bool) bool {
	for e := p.FirstEdge[v]; e < p.FirstEdge[v+1]; e++ {
		if p.EdgeKind(e) == EdgeProperty && names[p.EdgeNameOrIndex(e)] {
			return true
		}
	}
	return false
}

// builtinScope reports whether every closure using context c is Node's
// own code.
func (p *Pass) builtinScope(c uint32) bool {
	n := 0
	for e, from := range p.RetainersOf(c) {
		if p.NodeKinds[from] != NodeClosure || !p.named(e, p.n.context) {
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

// serverListeners are the string indexes of a server's `_events` edge and
// of the listener names that identify its handler.
type serverListeners struct {
	events, names map[uint32]bool
	connection    uint32
}

// serverSite is where to blame server v: the first application frame of
// its allocation stack, else its request (http, https), secureConnection
// (tls) or connection (net) listener, else the connection listener of the
// WebSocketServer w built on it (none if there is none).
func (p *Pass) serverSite(v, w uint32, ls serverListeners) (site Site, alloc, ok bool) {
	if s, ok := p.Loc.AllocationSite(v, p.Opts.IncludeNodeModules); ok {
		return s, true, true
	}
	if s, ok := p.listenerSite(v, ls.events, ls.names); ok {
		return s, false, true
	}
	if w != none {
		if s, ok := p.listenerSite(w, ls.events, setOf(ls.connection)); ok {
			return s, false, true
		}
	}
	return Site{}, false, false
}

// listenerSite returns the site of the first application listener of
// emitter v for one of the events names (the listener itself, not an
// array of several).
func (p *Pass) listenerSite(v uint32, events, names map[uint32]bool) (Site, bool) {
	for e := p.FirstEdge[v]; e < p.FirstEdge[v+1]; e++ {
		if p.EdgeKind(e) != EdgeProperty || !events[p.EdgeNameOrIndex(e)] {
			continue
		}
		ev := p.EdgeTo(e)
		for e2 := p.FirstEdge[ev]; e2 < p.FirstEdge[ev+1]; e2++ {
			if p.EdgeKind(e2) != EdgeProperty || !names[p.EdgeNameOrIndex(e2)] || p.NodeKinds[p.EdgeTo(e2)] != NodeClosure {
				continue
			}
			if s, ok := p.Loc.Site(p.EdgeTo(e2)); ok && p.appSite(s) {
				return s, true
			}
		}
	}
	return Site{}, false
}
