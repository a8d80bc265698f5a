package heap

import "fmt"

// minChainDepth is how many same-function activations must await each
// other in a row before a chain counts as runaway recursion; legitimate
// recursive async code (tree walks) rarely stays suspended that deep.
const minChainDepth = 50

// RecursiveAsyncDetector finds chains of suspended async function
// activations of one function, each awaiting the next.
var RecursiveAsyncDetector = &Detector{
	Name: "recursive-async",
	Code: CodeRecursiveAsync,
	Doc: `Finds long chains of suspended async-function activations of the same
function where each awaits the next (async function f() { …; await f(); }).
No level can settle before the newest one does, so every activation, its
locals and its result promise stay alive and the chain grows forever.
Reported at the function with the chain depth and the bytes the chain retains.
` + promiseChainDoc,
	Run: func(p *Pass) []Suspect { return append(p.chainSuspects(true), runPromiseChains(p)...) },
}

// chainGroup collects the recursive runs of one function location.
type chainGroup struct {
	loc  Location
	runs []chainRun
}

// chainSuspects groups long same-location runs by location; async selects
// native async activations (LEAK103), otherwise generators (LEAK104).
func (p *Pass) chainSuspects(async bool) []Suspect {
	ag := p.awaitGraph()
	var groups []*chainGroup
	for _, r := range ag.runs(p) {
		if len(r.members) < minChainDepth || p.isAsyncActivation(r.members[0]) != async {
			continue
		}
		var g *chainGroup
		for _, x := range groups {
			if sameLoc(x.loc, r.loc) {
				g = x
			}
		}
		if g == nil {
			g = &chainGroup{loc: r.loc}
			groups = append(groups, g)
		}
		g.runs = append(g.runs, r)
	}
	var out []Suspect
	for _, g := range groups {
		if async {
			out = append(out, p.asyncChainSuspect(g))
		} else {
			out = append(out, p.awaiterChainSuspect(g))
		}
	}
	return out
}

// chainStats returns members, deepest run and retained bytes of a group.
// A run's retained size is that of the nearest node dominating both its
// newest and oldest activation (for native async that is the newest
// activation itself; for __awaiter chains, the promise machinery above it).
// Runs of one chain nest (the newest head dominates the older runs), so
// the runs' dominators are summed without double counting.
func (p *Pass) chainStats(g *chainGroup) (members []uint32, depth int, retained uint64) {
	var doms, loose []uint32
	for _, r := range g.runs {
		members = append(members, r.members...)
		depth = max(depth, len(r.members))
		head, tail := r.members[0], r.members[len(r.members)-1]
		d := p.commonDominator(head, tail)
		if d == p.RootIndex || p.NodeKinds[d] == NodeSynthetic {
			loose = append(loose, r.members...)
		} else {
			doms = append(doms, d)
		}
	}
	return members, depth, p.retainedOf(append(doms, loose...))
}

// chainSuspect is what both chain detectors report: the group's site,
// counts, sizes and a path to its newest activation. It marks the
// activations and their functions explained, plus whatever more each
// member keeps (more) that the detector accounts for.
func (p *Pass) chainSuspect(g *chainGroup, more func(v uint32)) (s Suspect, members []uint32, depth int) {
	members, depth, retained := p.chainStats(g)
	for _, v := range members {
		p.explain(v)
		if fn, ok := p.edgeTo(v, EdgeInternal, p.n.function); ok {
			p.explain(fn)
		}
		more(v)
	}
	return Suspect{
		Site:          p.Loc.siteOf(g.loc, p.Loc.functionName(members[0])),
		Count:         len(members),
		SelfBytes:     p.selfOf(members),
		RetainedBytes: retained,
		Path:          p.Path(g.runs[0].members[0]),
		Growth:        p.watermarkGrowth(members),
	}, members, depth
}

func (p *Pass) asyncChainSuspect(g *chainGroup) Suspect {
	ag := p.awaitGraph()
	s, _, depth := p.chainSuspect(g, func(v uint32) {
		if h, ok := ag.handler[v]; ok {
			p.explain(h)
		}
	})
	s.Related = p.chainOrigin(g)
	fn := displayFunction(s.Site.Function)
	s.Message = fmt.Sprintf("%s awaits itself recursively: %d suspended activations (chain depth %d) wait for the next level and never settle — %s retained.",
		fn, s.Count, depth, FormatBytes(s.RetainedBytes))
	s.Advice = fmt.Sprintf("Don't await the recursive call of %s: rewrite it as a loop (while (…) { …; await sleep(); }) or schedule the next run without awaiting it, so each level can finish.", fn)
	return s
}

// chainOrigin points at the activation that awaits the oldest level of the
// deepest run: where the recursion was started from.
func (p *Pass) chainOrigin(g *chainGroup) []Related {
	ag := p.awaitGraph()
	r := g.runs[0]
	for _, x := range g.runs {
		if len(x.members) > len(r.members) {
			r = x
		}
	}
	if b, ok := ag.awaiter[r.members[len(r.members)-1]]; ok {
		if site, ok := p.Loc.Site(b); ok {
			return []Related{{Site: site, Note: "the recursion is awaited from " + displayFunction(site.Function)}}
		}
	}
	return nil
}

// displayFunction renders a function name for messages.
func displayFunction(name string) string {
	if name == "" {
		return "the anonymous function"
	}
	return name + "()"
}
