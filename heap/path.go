package heap

import "strconv"

// Path length limits: a retainer path deeper than maxPathHops (a 2000-level
// async chain is ~12000 hops deep) keeps its first and last hops around an
// elision hop, which is what a developer reads anyway.
const (
	maxPathHops  = 48
	pathHeadHops = 16
)

// Path returns one shortest retainer path from the root to v, root side
// first; nil if v is unreachable. It walks the graph's DevTools-style
// distances backwards (user roots such as `global` first, system roots
// only for what they alone reach), so paths read like Chrome's retainers
// view and need no extra per-node memory.
func (p *Pass) Path(v uint32) []Hop {
	if p.Distance.Len() != p.NodeCount() {
		return nil
	}
	var rev []uint32 // edges, target side first
	for cur := v; cur != p.RootIndex; {
		e, from, ok := p.closerRetainer(cur)
		if !ok || len(rev) > p.NodeCount() {
			return nil
		}
		rev = append(rev, e)
		cur = from
	}
	hops := make([]Hop, 0, min(len(rev), maxPathHops+1))
	for i := len(rev) - 1; i >= 0; i-- {
		k := len(rev) - 1 - i // position from the root side
		if len(rev) > maxPathHops && k == pathHeadHops {
			skipped := len(rev) - maxPathHops
			hops = append(hops, Hop{Edge: "…", Node: "(" + strconv.Itoa(skipped) + " more hops)"})
			i -= skipped - 1
			continue
		}
		hops = append(hops, p.hop(rev[i]))
	}
	return hops
}

// closerRetainer returns a non-weak edge into v from a node one step closer
// to the roots, preferring edges a developer can name (properties,
// variables, elements) over engine-internal ones.
func (p *Pass) closerRetainer(v uint32) (edge, from uint32, ok bool) {
	d := p.Distance.At(v)
	if d == Unreachable || d == 0 {
		return 0, 0, false
	}
	var bestEdge, bestFrom uint32
	bestRank := 3
	for e, u := range p.RetainersOf(v) {
		if p.EdgeKind(e) == EdgeWeak || u == v {
			continue
		}
		closer := p.Distance.At(u) == d-1 || u == p.RootIndex && (d == 1 || d == SystemDistance+1)
		if !closer {
			continue
		}
		rank := 1
		switch p.EdgeKind(e) {
		case EdgeProperty, EdgeContext, EdgeElement, EdgeShortcut:
			rank = 0
		}
		if rank < bestRank {
			bestEdge, bestFrom, bestRank = e, u, rank
		}
		if rank == 0 {
			break
		}
	}
	if bestRank == 3 {
		return 0, 0, false
	}
	return bestEdge, bestFrom, true
}

func (p *Pass) hop(e uint32) Hop {
	to := p.EdgeTo(e)
	h := Hop{Edge: p.edgeLabel(e), Node: p.nodeLabel(to), NodeID: p.NodeIDs[to]}
	if p.NodeKinds[to] == NodeClosure || p.NodeKinds[to] == NodeObject {
		if site, ok := p.Loc.Site(to); ok && site.Script != "" {
			h.Site = &site
		}
	}
	return h
}

// edgeLabel renders an edge the way a developer writes the access:
// `[12]` for elements, the property or variable name otherwise.
func (p *Pass) edgeLabel(e uint32) string {
	switch p.EdgeKind(e) {
	case EdgeElement:
		return "[" + strconv.FormatUint(uint64(p.EdgeNameOrIndex(e)), 10) + "]"
	case EdgeHidden:
		return "<hidden " + strconv.FormatUint(uint64(p.EdgeNameOrIndex(e)), 10) + ">"
	}
	return p.EdgeName(e)
}

// nodeLabel renders a node as "Name @id"; strings are quoted and cut.
func (p *Pass) nodeLabel(v uint32) string {
	name := p.Name(v)
	switch p.NodeKinds[v] {
	case NodeString, NodeConsString, NodeSlicedString:
		if len(name) > 40 {
			name = name[:40] + "…"
		}
		return strconv.Quote(name)
	case NodeClosure:
		if name == "" {
			name = "(anonymous function)"
		} else {
			name += "()"
		}
	}
	if name == "" {
		name = "(" + kindName(p.NodeKinds[v]) + ")"
	}
	return name + " @" + strconv.FormatUint(uint64(p.NodeIDs[v]), 10)
}

func kindName(k NodeKind) string {
	names := [...]string{"unknown", "hidden", "array", "string", "object", "code", "closure", "regexp",
		"number", "native", "synthetic", "concatenated string", "sliced string", "symbol", "bigint",
		"object shape", "wasm object"}
	if int(k) < len(names) {
		return names[k]
	}
	return "unknown"
}
