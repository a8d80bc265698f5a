package heap

import (
	"cmp"
	"slices"
	"strings"
)

// SiteKind says what a SiteStats counts.
type SiteKind string

// Site kinds: the closures a function expression made, the instances of a
// class (at its constructor), the timers whose callback is this function,
// and objects by the application frame that allocated them (only in
// snapshots taken with allocation tracking: the `new`/`setTimeout` line).
const (
	SiteClosures    SiteKind = "closures"
	SiteInstances   SiteKind = "objects"
	SiteTimers      SiteKind = "timers"
	SiteAllocations SiteKind = "allocated"
)

// SiteStats is what the heap holds for one source site: how many live
// objects, their self and retained sizes, how many are new since the
// baseline, and a few retainer paths that differ in what holds them.
type SiteStats struct {
	Site          Site     `json:"site"`
	Kind          SiteKind `json:"kind"`
	Name          string   `json:"name"` // function or constructor name
	Count         int      `json:"count"`
	SelfBytes     uint64   `json:"selfBytes"`
	RetainedBytes uint64   `json:"retainedBytes"`
	New           int      `json:"new,omitempty"` // with a baseline: not in it
	Paths         [][]Hop  `json:"paths,omitempty"`
}

// SitesOptions configures Sites.
type SitesOptions struct {
	Baseline           *Baseline
	IncludeNodeModules bool
	// MinCount and MinRetained drop small sites (a site stays if it meets
	// either). Zero values keep everything.
	MinCount    int
	MinRetained uint64
	// Max bounds the number of sites kept, largest retained first (0: all).
	Max int
	// Paths is how many distinct retainer paths to keep per site, for the
	// PathSites largest sites (0: all kept sites).
	Paths, PathSites int
}

// pathSamples bounds how many members per site are walked for distinct
// retainer paths: enough to find the second and third holder of a group
// held in a few places, cheap for a group of a million.
const pathSamples = 24

type siteKey struct {
	script, line, col uint32
	kind              SiteKind
}

// Sites groups the reachable objects of application scripts by the
// source site they belong to (see SiteKind). It is what an editor shows
// next to the code: counts and sizes per function, class and timer.
func Sites(g *Graph, opts SitesOptions) []SiteStats {
	if g == nil || g.NodeCount() == 0 {
		return nil
	}
	p := newPass(g, AnalyzeOptions{Graph: g, Baseline: opts.Baseline, IncludeNodeModules: opts.IncludeNodeModules})
	groups := p.siteGroups()
	type keyed struct {
		SiteStats
		key siteKey
	}
	out := make([]keyed, 0, len(groups))
	for k, members := range groups {
		st := SiteStats{Kind: k.kind, Count: len(members), SelfBytes: p.selfOf(members)}
		bigEnough := opts.MinCount > 0 && st.Count >= opts.MinCount
		if !bigEnough && opts.MinCount > 0 && opts.MinRetained == 0 {
			continue // skip the retained size: most sites are small
		}
		st.RetainedBytes = p.retainedOf(members)
		if opts.MinRetained > 0 && st.RetainedBytes >= opts.MinRetained {
			bigEnough = true
		}
		if !bigEnough && (opts.MinCount > 0 || opts.MinRetained > 0) {
			continue
		}
		st.Site = p.Loc.siteOf(Location{ScriptID: k.script, Line: k.line, Column: k.col}, p.siteName(k, members[0]))
		st.Name = st.Site.Function
		if opts.Baseline != nil {
			for _, m := range members {
				if opts.Baseline.isNew(p.Snapshot, m) {
					st.New++
				}
			}
		}
		out = append(out, keyed{st, k})
	}
	slices.SortFunc(out, func(a, b keyed) int { return compareSiteStats(a.SiteStats, b.SiteStats) })
	if opts.Max > 0 && len(out) > opts.Max {
		out = out[:opts.Max]
	}
	stats := make([]SiteStats, len(out))
	for i, o := range out {
		stats[i] = o.SiteStats
		if opts.Paths > 0 && (opts.PathSites == 0 || i < opts.PathSites) {
			stats[i].Paths = p.distinctPaths(groups[o.key], opts.Paths)
		}
	}
	return stats
}

func compareSiteStats(a, b SiteStats) int {
	if c := cmp.Compare(b.RetainedBytes, a.RetainedBytes); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Count, a.Count); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Site.Script, b.Site.Script); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Site.Line, b.Site.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Site.Column, b.Site.Column); c != 0 {
		return c
	}
	return cmp.Compare(a.Kind, b.Kind)
}

// siteGroups assigns every reachable object of an application script to
// its site. Closures go to their function, objects to their class's
// constructor, Timeouts to their callback; with allocation stacks,
// objects also count at the application frame that allocated them.
func (p *Pass) siteGroups() map[siteKey][]uint32 {
	s := p.Snapshot
	groups := map[siteKey][]uint32{}
	scriptOK := map[uint32]bool{}
	app := func(id uint32) bool {
		ok, seen := scriptOK[id]
		if !seen {
			ok = IsAppScript(p.Loc.ScriptName(id), p.Opts.IncludeNodeModules)
			scriptOK[id] = ok
		}
		return ok
	}
	traced := len(s.TraceNodes) > 0 && len(s.TraceIDs) == s.NodeCount()
	allocAt := map[uint32]siteKey{} // trace node id -> allocation site (or none)
	scriptIDs := map[string]uint32{}
	for id, name := range p.Loc.scripts {
		scriptIDs[name] = id
	}
	li := 0
	for v := range uint32(s.NodeCount()) {
		for li < len(s.Locations) && s.Locations[li].Node < v {
			li++
		}
		if p.Distance.At(v) == Unreachable || !growthKind(s, v) {
			continue
		}
		kind := s.NodeKinds[v]
		if li < len(s.Locations) && s.Locations[li].Node == v {
			loc := s.Locations[li]
			if app(loc.ScriptID) {
				k := siteKey{loc.ScriptID, loc.Line, loc.Column, SiteInstances}
				if kind == NodeClosure {
					k.kind = SiteClosures
				}
				groups[k] = append(groups[k], v)
			}
		}
		if kind == NodeObject && p.n.timeout != noString && s.NodeNames[v] == p.n.timeout {
			if k, ok := p.timerSite(v); ok && app(k.script) {
				groups[k] = append(groups[k], v)
			}
		}
		if traced && s.TraceIDs[v] != 0 {
			k, ok := allocAt[s.TraceIDs[v]]
			if !ok {
				k = p.allocationKey(v, scriptIDs)
				allocAt[s.TraceIDs[v]] = k
			}
			if k.kind != "" {
				groups[k] = append(groups[k], v)
			}
		}
	}
	return groups
}

// timerSite is the site of a Timeout: its callback's function (the
// target of a bound callback, which has no position of its own).
func (p *Pass) timerSite(v uint32) (siteKey, bool) {
	cb, ok := p.edgeTo(v, EdgeProperty, p.n.onTimeout)
	if !ok {
		return siteKey{}, false
	}
	if target, ok := p.edgeTo(cb, EdgeInternal, p.n.boundFunction); ok {
		cb = target
	}
	loc, ok := p.Loc.SiteLocation(cb)
	if !ok {
		return siteKey{}, false
	}
	return siteKey{loc.ScriptID, loc.Line, loc.Column, SiteTimers}, true
}

// allocationKey is the first application frame of v's allocation stack.
// Trace frames name scripts, not script ids: the id is found back by name
// so that keys compare like the others.
func (p *Pass) allocationKey(v uint32, scriptIDs map[string]uint32) siteKey {
	site, ok := p.Loc.AllocationSite(v, p.Opts.IncludeNodeModules)
	if !ok {
		return siteKey{}
	}
	id, ok := scriptIDs[site.Script]
	if !ok {
		return siteKey{}
	}
	return siteKey{id, uint32(site.Line), uint32(site.Column), SiteAllocations}
}

// siteName names a site by what its members are: the function of a
// closure or timer callback, the constructor of an instance.
func (p *Pass) siteName(k siteKey, sample uint32) string {
	if k.kind == SiteTimers || k.kind == SiteAllocations {
		return p.Name(sample)
	}
	return p.Loc.functionName(sample)
}

// distinctPaths returns up to n retainer paths of group members that
// differ in the objects that hold them (element indexes and ids aside),
// from the top-level members (those no other member keeps alive).
func (p *Pass) distinctPaths(members []uint32, n int) [][]Hop {
	top := p.topLevel(members)
	seen := map[string]bool{}
	var out [][]Hop
	for _, m := range spread(top, pathSamples) {
		path := p.Path(m)
		if len(path) == 0 {
			continue
		}
		sig := pathSignature(path)
		if seen[sig] {
			continue
		}
		seen[sig] = true
		out = append(out, path)
		if len(out) == n {
			break
		}
	}
	return out
}

// pathSignature is a path without element indexes and object ids: two
// members of one array have the same signature.
func pathSignature(path []Hop) string {
	var b strings.Builder
	for _, h := range path {
		edge := h.Edge
		if strings.HasPrefix(edge, "[") {
			edge = "[]"
		}
		name, _, _ := strings.Cut(h.Node, " @")
		b.WriteString(edge)
		b.WriteByte('>')
		b.WriteString(name)
		b.WriteByte('|')
	}
	return b.String()
}
