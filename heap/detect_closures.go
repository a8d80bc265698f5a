package heap

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Thresholds for a closure site: many instances, or a few that retain a
// large share of the heap.
const (
	minSiteClosures      = 1000
	minHeavySiteClosures = 10
	heavySiteShare       = 10 // percent of the reachable heap
)

// ClosureSiteDetector aggregates live closures per source position.
var ClosureSiteDetector = &Detector{
	Name: "closure-site",
	Code: CodeClosureSite,
	Doc: `Groups live closures by the source position of their function (script,
line, column) and reports application sites with many instances (at least
1000) or whose closures retain a large share of the heap (10%, at least 10
instances). Every instance keeps its closure context — the variables captured
from enclosing scopes — alive. Closures already explained by a more specific
detector (timer callbacks, async chains) are not counted again.`,
	Run: runClosureSites,
}

type closureSite struct {
	loc     Location
	members []uint32
}

func runClosureSites(p *Pass) []Suspect {
	sites := p.closureSites()
	heap := p.heapSize()
	var out []Suspect
	for _, cs := range sites {
		if len(cs.members) < minHeavySiteClosures {
			continue
		}
		site := p.Loc.siteOf(cs.loc, p.Name(cs.members[0]))
		if !p.appSite(site) || p.isReported(site) {
			continue
		}
		retained := p.retainedOf(cs.members)
		heavy := heap > 0 && retained*100 >= heap*heavySiteShare
		if len(cs.members) < minSiteClosures && !heavy {
			continue
		}
		out = append(out, p.closureSuspect(cs, site, retained))
	}
	slices.SortFunc(out, func(a, b Suspect) int { return cmp.Compare(b.RetainedBytes, a.RetainedBytes) })
	return out
}

// closureSites groups the closures not explained yet by function position.
// A first pass counts each site's members, so that the member lists are
// carved out of one exact allocation: appending to them one by one made
// ~5x their size in garbage on a heap of a million closures, and the
// garbage stays resident until the next collection of a heap of
// hundreds of MB.
func (p *Pass) closureSites() []closureSite {
	index := map[[3]uint32]int{}
	var sites []closureSite
	var counts []int
	// each calls f with the site index of every closure to group.
	each := func(f func(i int, v uint32)) {
		for _, l := range p.Locations {
			v := l.Node
			if int(v) >= p.NodeCount() || p.NodeKinds[v] != NodeClosure || p.isExplained(v) {
				continue
			}
			key := [3]uint32{l.ScriptID, l.Line, l.Column}
			i, ok := index[key]
			if !ok {
				i = len(sites)
				index[key] = i
				sites = append(sites, closureSite{loc: l})
				counts = append(counts, 0)
			}
			f(i, v)
		}
	}
	total := 0
	each(func(i int, _ uint32) { counts[i]++; total++ })
	all := makeColumn[uint32](total, total)
	off := 0
	for i, n := range counts {
		sites[i].members = all[off : off : off+n]
		off += n
	}
	each(func(i int, v uint32) { sites[i].members = append(sites[i].members, v) })
	return sites
}

func (p *Pass) closureSuspect(cs closureSite, site Site, retained uint64) Suspect {
	s, rep := p.groupSuspect(site, cs.members, retained)
	captured := p.capturedNames(rep, 5)
	var vars string
	if len(captured) > 0 {
		vars = " (captured: " + strings.Join(captured, ", ") + ")"
	}
	if a, ok := p.Loc.AllocationSite(rep, p.Opts.IncludeNodeModules); ok && a != site {
		s.Related = append(s.Related, Related{Site: a, Note: "closures created from here (allocation stack)"})
	}
	s.Message = fmt.Sprintf("%d closures of %s are alive, retaining %s; each keeps its closure context%s alive.",
		len(cs.members), displayFunction(site.Function), FormatBytes(retained), vars)
	s.Advice = "Find who keeps these functions (listeners, callbacks stored in arrays or maps, pending promises) and remove them when done; capture only what the function needs."
	return s
}

// capturedNames lists up to limit variable names of closure v's own context.
func (p *Pass) capturedNames(v uint32, limit int) []string {
	ctx, ok := p.edgeTo(v, EdgeInternal, p.n.context)
	if !ok {
		return nil
	}
	var out []string
	for e := p.FirstEdge[ctx]; e < p.FirstEdge[ctx+1] && len(out) < limit; e++ {
		if p.EdgeKind(e) == EdgeContext {
			out = append(out, p.EdgeName(e))
		}
	}
	return out
}
