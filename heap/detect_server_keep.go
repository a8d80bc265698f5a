package heap

// maxServerCluster bounds the backward walk from a server (nodes visited).
// What a dropped server drags along — its listeners and their scopes, the
// WebSocketServer built on it, the WebSockets of its clients — is a few
// hundred nodes; a walk that grows beyond this has reached the
// application's state.
const maxServerCluster = 4096

// serverKeep says what keeps a server alive once the application let go.
type serverKeep struct {
	listening    bool   // its listening handle
	connections  int    // open connections it accepted (alive through their own handles)
	builtinTimer bool   // a pending timer calling Node's own code (http's connections check)
	appTimer     uint32 // a pending Timeout of the application's (a heartbeat); none if none
	wrapper      uint32 // the WebSocketServer built on it; none if none
}

// byTimerOnly reports whether only timers keep the server: it no longer
// listens.
func (k *serverKeep) byTimerOnly() bool {
	return !k.listening && (k.builtinTimer || k.appTimer != none)
}

// serverMarks are the string indexes the walk recognises.
type serverMarks struct {
	servers         map[uint32]bool // Server, WebSocketServer
	parser          uint32          // HTTPParser: Node's own, in use or pooled
	owner           map[uint32]bool // a handle's link to its owner
	server, private uint32          // a socket's link to the server that accepted it
	wsServer        uint32          // WebSocketServer's link to its http server
}

// serverKeepers walks the retainers of server v backwards — through its
// listeners and their scopes, the WebSocketServer built on it, its
// clients' WebSockets — and stops at what Node keeps alive on its own: a
// handle's owner link, a connection the server accepted (alive through its
// own handle), a pending Timeout, a scope of Node's own code (listen's
// lookup callback), an HTTP parser. ok means every path into the server ends there: the
// application no longer reaches it. A walk that reaches a GC root,
// another server (state several servers share, like an array of them in a
// module scope, is the application's) or more than maxServerCluster nodes
// means the application still holds the server.
func (p *Pass) serverKeepers(v uint32, m *serverMarks) (k serverKeep, ok bool) {
	k = serverKeep{appTimer: none, wrapper: none}
	seen := map[uint32]bool{v: true}
	handles := map[uint32]bool{} // the `_handle`s of what the walk visited
	queue := []uint32{v}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		if h, ok := p.edgeTo(x, EdgeProperty, p.n.handle); ok && p.NodeKinds[h] == NodeObject {
			handles[h] = true
		}
		for e, from := range p.RetainersOf(x) {
			if seen[from] || p.EdgeKind(e) == EdgeWeak {
				continue
			}
			seen[from] = true // a stop is counted once, whichever edge reaches it
			switch {
			case p.NodeKinds[from] == NodeObject && m.servers[p.NodeNames[from]]:
				if k.wrapper != none || !p.wraps(from, v, m) {
					return k, false
				}
				k.wrapper = from
			case p.accepted(from, v, m):
				k.connections++
				continue
			case handles[from] || p.EdgeKind(e) == EdgeProperty && m.owner[p.EdgeNameOrIndex(e)]:
				// A handle's owner link, direct or through the handle's
				// property array (Node 12 and 14 name it "<symbol>").
				k.listening = true
				continue
			case p.NodeKinds[from] == NodeObject && p.NodeNames[from] == p.n.timeout && p.pendingTimer(from):
				p.noteTimer(&k, from)
				continue
			case p.NodeNames[from] == p.n.sysContext && p.builtinScope(from):
				continue
			case p.NodeKinds[from] == NodeObject && p.NodeNames[from] == m.parser:
				// The HTTP parser of a connection; Node 12 also leaves
				// a pooled one's onIncoming bound to the last server.
				continue
			case from == p.RootIndex || p.NodeKinds[from] == NodeSynthetic:
				return k, false
			}
			if len(seen) > maxServerCluster {
				return k, false
			}
			queue = append(queue, from)
		}
	}
	// A closed server that only waits for its connections to end is on
	// its way out, not dropped.
	return k, k.listening || k.builtinTimer || k.appTimer != none
}

// accepted reports whether object s is a connection server v accepted:
// net's onconnection sets both socket.server and socket._server (ws's
// options object has only `server`, a WebSocketServer only `_server`).
func (p *Pass) accepted(s, v uint32, m *serverMarks) bool {
	if p.NodeKinds[s] != NodeObject {
		return false
	}
	pub, priv := false, false
	for e := p.FirstEdge[s]; e < p.FirstEdge[s+1]; e++ {
		if p.EdgeTo(e) != v || p.EdgeKind(e) != EdgeProperty {
			continue
		}
		pub = pub || p.EdgeNameOrIndex(e) == m.server
		priv = priv || p.EdgeNameOrIndex(e) == m.private
	}
	return pub && priv
}

// wraps reports whether w is a WebSocketServer running on server v.
func (p *Pass) wraps(w, v uint32, m *serverMarks) bool {
	t, ok := p.edgeTo(w, EdgeProperty, m.wsServer)
	return ok && t == v && p.NodeNames[w] != p.NodeNames[v]
}

// pendingTimer reports whether Timeout t has not fired or been cleared:
// Node's timer lists hold it, not the application.
func (p *Pass) pendingTimer(t uint32) bool {
	d, ok := p.edgeTo(t, EdgeProperty, p.n.destroyed)
	return ok && p.oddballValue(d) == "false"
}

// noteTimer records whose code pending Timeout t runs.
func (p *Pass) noteTimer(k *serverKeep, t uint32) {
	cb, ok := p.edgeTo(t, EdgeProperty, p.n.onTimeout)
	if !ok || p.NodeKinds[cb] != NodeClosure {
		return
	}
	cb, _ = p.unbind(cb)
	site, ok := p.Loc.Site(cb)
	switch {
	case !ok || IsBuiltinScript(site.Script):
		k.builtinTimer = true
	case k.appTimer == none:
		k.appTimer = t
	}
}
