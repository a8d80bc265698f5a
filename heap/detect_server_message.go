package heap

import (
	"fmt"
	"strings"
)

// serverSuspect says what keeps the group's servers and how to release
// them: close() for servers the application dropped while they listen, an
// upgrade where a Node bug keeps closed or never-listening ones, and the
// application's own heartbeat interval when one holds them too.
func (p *Pass) serverSuspect(g *serverGroup) Suspect {
	for _, v := range g.members {
		p.explain(v)
	}
	for _, w := range g.wrappers {
		p.explain(w)
	}
	all := append(append([]uint32(nil), g.members...), g.wrappers...)
	s, _ := p.groupSuspect(g.site, g.members, p.retainedOf(all))
	what, closeIt := "Server", "server.close()"
	if len(g.wrappers) > 0 {
		what, closeIt = "WebSocketServer", "wss.close() (and close an http server you passed in: ws leaves it open)"
	}
	where := "created here"
	if g.handler {
		where = "whose request/connection handler is " + displayFunction(g.site.Function)
	}
	s.Message = fmt.Sprintf("%d %s objects %s are no longer referenced by the application but stay alive: %s — %s retained.",
		len(g.members), what, where, strings.Join(g.reasons(), ", "), FormatBytes(s.RetainedBytes))
	var bugs []string
	if g.unlistened > 0 && g.builtin && BugServerInterval.Affects(p.Version) {
		bugs = append(bugs, bugNote(BugServerInterval, p.Version))
	}
	if g.closed > 0 && g.builtin && BugHTTPSCloseInterval.Affects(p.Version) {
		bugs = append(bugs, bugNote(BugHTTPSCloseInterval, p.Version))
	}
	if len(bugs) > 0 {
		s.Message += " " + strings.Join(bugs, " ")
	}
	s.Advice = "close() it: call " + closeIt + " when the server is no longer needed (and keep a reference until then); a server that is dropped without close() lives, with its handler and everything it captures, as long as the process."
	if g.closed == len(g.members) && len(bugs) > 0 {
		s.Advice = "These servers were closed, but this Node.js version keeps them: upgrade Node.js (" + BugHTTPSCloseInterval.Fixed + " fix it)."
	}
	if site, ok := p.timerCallbackSite(g.appTimer); ok {
		s.Message += fmt.Sprintf(" A pending timer whose callback is %s references them too.", displayFunction(site.Function))
		s.Advice += " Clear that interval when the server closes (server.on('close', () => clearInterval(…)))."
		s.Related = append(s.Related, Related{Site: site, Note: "interval that also keeps the servers: clear it on 'close'"})
	}
	return s
}

// reasons says, per kind, how many servers what keeps.
func (g *serverGroup) reasons() []string {
	var why []string
	if n := len(g.members) - g.closed - g.unlistened; n > 0 {
		r := fmt.Sprintf("%d still listening (their handle keeps them)", n)
		if g.connections > 0 {
			r += fmt.Sprintf(" with %d open %s", g.connections, plural(g.connections, "connection"))
		}
		why = append(why, r)
	}
	timer := "an interval of the application"
	if g.builtin {
		timer = "a timer of Node's own (the connections-checking interval)"
	}
	if g.closed > 0 {
		why = append(why, fmt.Sprintf("%d closed but still held by %s", g.closed, timer))
	}
	if g.unlistened > 0 {
		why = append(why, fmt.Sprintf("%d never listened, held by %s", g.unlistened, timer))
	}
	return why
}

func plural(n int, w string) string {
	if n == 1 {
		return w
	}
	return w + "s"
}

// timerCallbackSite is the callback site of Timeout t (none: no site).
func (p *Pass) timerCallbackSite(t uint32) (Site, bool) {
	if t == none {
		return Site{}, false
	}
	cb, ok := p.edgeTo(t, EdgeProperty, p.n.onTimeout)
	if !ok {
		return Site{}, false
	}
	cb, _ = p.unbind(cb)
	return p.Loc.Site(cb)
}
