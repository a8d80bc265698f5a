package heap

import (
	"fmt"
	"strings"
)

// minTimerRetained is the bytes one callback site's live timers must keep
// alive (dominate) to be reported; below that a live interval is normal.
const minTimerRetained = 1 << 20

// serverNames are constructors of network objects that should die when
// closed; one dominated by a timer means the timer keeps it alive.
var serverNames = []string{"Server", "Socket", "TLSSocket", "WebSocket", "WebSocketServer"}

// TimerRetainsDetector finds live timers and intervals that are the only
// thing keeping large object graphs or closed servers alive.
var TimerRetainsDetector = &Detector{
	Name: "timer-retains",
	Code: CodeTimerRetains,
	Doc: `Finds pending timers and intervals (setInterval, setTimeout not yet fired)
whose callback is the only path to a lot of memory (at least 1 MB dominated by
the timers of one callback site) or to a Server/Socket object. An interval that
is never cleared keeps its callback, the callback's closure context or bound
this, and everything reachable only from there alive for the life of the process.`,
	Run: runTimerRetains,
}

type timerGroup struct {
	site    Site
	members []uint32
	servers []uint32
	bound   string // constructor of the bound `this`, if the callback is bound
}

func runTimerRetains(p *Pass) []Suspect {
	if p.n.timeout == noString {
		return nil
	}
	groups := map[Site]*timerGroup{}
	byTimer := map[uint32]*timerGroup{}
	var order []Site
	for v := range uint32(p.NodeCount()) {
		if p.NodeKinds[v] != NodeObject || p.NodeNames[v] != p.n.timeout || p.isExplained(v) {
			continue
		}
		site, bound, ok := p.liveTimerCallback(v)
		if !ok || !p.appSite(site) {
			continue // builtin callbacks (promise resolvers) belong to chain detectors
		}
		key := siteKeyOf(site)
		g := groups[key]
		if g == nil {
			g = &timerGroup{site: site, bound: bound}
			groups[key] = g
			order = append(order, key)
		}
		g.members = append(g.members, v)
		byTimer[v] = g
	}
	if len(groups) == 0 {
		return nil
	}
	p.attachServers(byTimer)
	var out []Suspect
	for _, key := range order {
		g := groups[key]
		retained := p.retainedOf(g.members)
		if retained < minTimerRetained && len(g.servers) == 0 {
			continue
		}
		out = append(out, p.timerSuspect(g, retained))
	}
	return out
}

// liveTimerCallback returns the callback site of a pending (not destroyed)
// Timeout; bound functions are followed to their target, and bound reports
// the constructor of the bound receiver.
func (p *Pass) liveTimerCallback(v uint32) (site Site, bound string, ok bool) {
	if d, found := p.edgeTo(v, EdgeProperty, p.n.destroyed); !found || p.oddballValue(d) != "false" {
		return Site{}, "", false
	}
	cb, found := p.edgeTo(v, EdgeProperty, p.n.onTimeout)
	if !found || p.NodeKinds[cb] != NodeClosure {
		return Site{}, "", false
	}
	cb, bound = p.unbind(cb)
	site, ok = p.Loc.Site(cb)
	return site, bound, ok
}

// unbind follows fn.bind(obj) wrappers to the function they call, and names
// the class of the innermost bound receiver ("" when none is an object).
func (p *Pass) unbind(cb uint32) (target uint32, bound string) {
	for hops := 0; hops < maxContextHops; hops++ {
		t, isBound := p.edgeTo(cb, EdgeInternal, p.n.boundFunction)
		if !isBound {
			break
		}
		if this, ok := p.edgeTo(cb, EdgeInternal, p.n.boundThis); ok && p.NodeKinds[this] == NodeObject {
			bound = p.Name(this)
		}
		cb = t
	}
	return cb, bound
}

// attachServers assigns each Server/Socket object to the live timer that
// dominates it, walking up the dominator tree (servers are few). A server
// that still listens (or a WebSocketServer on one) is left to the
// server-not-closed detector: its handle keeps it too, even where DevTools'
// page-owned rule (Node 12: the timer lists hang off global, the handles
// do not) hides that path from the dominator tree.
func (p *Pass) attachServers(byTimer map[uint32]*timerGroup) {
	if !p.hasDominators() {
		return
	}
	servers := p.Strings.indexSet(serverNames...)
	wsServer, looked := noString, false // looked up at the first server: most heaps have none
	for v := range uint32(p.NodeCount()) {
		if p.NodeKinds[v] != NodeObject || !servers[p.NodeNames[v]] {
			continue
		}
		if !looked {
			wsServer, looked = p.Strings.indexesOf("_server")[0], true
		}
		if p.listens(v, wsServer) {
			continue
		}
		for d, steps := p.IDom.At(v), 0; d != p.RootIndex && steps < 1<<16; d, steps = p.IDom.At(d), steps+1 {
			if g, ok := byTimer[d]; ok {
				g.servers = append(g.servers, v)
				break
			}
		}
	}
}

// listens reports whether server v has an open handle, or is a
// WebSocketServer whose http server (its `_server`) has one.
func (p *Pass) listens(v, wsServer uint32) bool {
	if s, ok := p.edgeTo(v, EdgeProperty, wsServer); ok && p.NodeKinds[s] == NodeObject {
		v = s
	}
	h, ok := p.edgeTo(v, EdgeProperty, p.n.handle)
	return ok && p.NodeKinds[h] == NodeObject
}

func (p *Pass) timerSuspect(g *timerGroup, retained uint64) Suspect {
	for _, v := range g.members {
		p.explain(v)
	}
	for _, v := range g.servers {
		p.explain(v) // the server detector must not report them again
	}
	s, _ := p.groupSuspect(g.site, g.members, retained)
	what := "its callback's closure context"
	if g.bound != "" {
		what = "the bound " + g.bound + " instance"
	}
	var extra string
	if len(g.servers) > 0 {
		srv := g.servers[0]
		extra = fmt.Sprintf(", including %d %s object(s) that nothing else references (closed?)", len(g.servers), p.Name(srv))
		if site, ok := p.Loc.AllocationSite(srv, p.Opts.IncludeNodeModules); ok {
			s.Related = append(s.Related, Related{Site: site, Note: p.Name(srv) + " created here"})
		}
	}
	timers := "1 live timer whose callback is %s keeps"
	if len(g.members) > 1 {
		timers = fmt.Sprintf("%d live timers whose callback is %%s keep", len(g.members))
	}
	s.Message = fmt.Sprintf(timers+" %s alive through %s%s.",
		displayFunction(g.site.Function), FormatBytes(retained), what, extra)
	owner := "its owner"
	if g.bound != "" {
		owner = "each " + g.bound
	}
	s.Advice = strings.TrimSpace(fmt.Sprintf("Keep the timer handle and call clearInterval/clearTimeout when %s is stopped or closed (e.g. in stop() or on the server's 'close' event); an interval that is never cleared lives as long as the process.", owner))
	return s
}
