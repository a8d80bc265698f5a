package heap

import (
	"cmp"
	"math"
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

// siteKey identifies a site in grouping; kind indexes siteKinds, so the
// key hashes as plain bytes (a string field made hashing most of the
// grouping's map time).
type siteKey struct {
	script, line, col uint32
	kind              uint8
}

// Site kind indexes for siteKey.kind.
const (
	kindClosures uint8 = iota
	kindInstances
	kindTimers
	kindAllocations
)

var siteKinds = [...]SiteKind{SiteClosures, SiteInstances, SiteTimers, SiteAllocations}

// siteGroup is one site's key and its member nodes, in node order.
type siteGroup struct {
	key     siteKey
	members []uint32
}

// Sites groups the reachable objects of application scripts by the
// source site they belong to (see SiteKind). It is what an editor shows
// next to the code: counts and sizes per function, class and timer.
func Sites(g *Graph, opts SitesOptions) []SiteStats {
	if g == nil || g.NodeCount() == 0 {
		return nil
	}
	p := newPass(g, AnalyzeOptions{Graph: g, Baseline: opts.Baseline, IncludeNodeModules: opts.IncludeNodeModules})
	type kept struct {
		SiteStats
		top []uint32 // the group's top-level members, reused for its paths
	}
	var out []kept
	for _, grp := range p.siteGroups() {
		k, members := grp.key, grp.members
		st := SiteStats{Kind: siteKinds[k.kind], Count: len(members), SelfBytes: p.selfOf(members)}
		bigEnough := opts.MinCount > 0 && st.Count >= opts.MinCount
		if !bigEnough && opts.MinCount > 0 && opts.MinRetained == 0 {
			continue // skip the retained size: most sites are small
		}
		top := p.topLevel(members)
		st.RetainedBytes = p.retainedOfTop(top)
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
		out = append(out, kept{st, top})
	}
	slices.SortFunc(out, func(a, b kept) int { return compareSiteStats(a.SiteStats, b.SiteStats) })
	if opts.Max > 0 && len(out) > opts.Max {
		out = out[:opts.Max]
	}
	stats := make([]SiteStats, len(out))
	for i, o := range out {
		stats[i] = o.SiteStats
		if opts.Paths > 0 && (opts.PathSites == 0 || i < opts.PathSites) {
			stats[i].Paths = p.distinctPaths(o.top, opts.Paths)
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
func (p *Pass) siteGroups() []siteGroup {
	s := p.Snapshot
	var b siteGrouper
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
				k := siteKey{loc.ScriptID, loc.Line, loc.Column, kindInstances}
				if kind == NodeClosure {
					k.kind = kindClosures
				}
				b.add(k, v)
			}
		}
		if kind == NodeObject && p.n.timeout != noString && s.NodeNames[v] == p.n.timeout {
			if k, ok := p.timerSite(v); ok && app(k.script) {
				b.add(k, v)
			}
		}
		if traced && s.TraceIDs[v] != 0 {
			k, ok := allocAt[s.TraceIDs[v]]
			if !ok {
				k = p.allocationKey(v, scriptIDs)
				allocAt[s.TraceIDs[v]] = k
			}
			if k != noSite {
				b.add(k, v)
			}
		}
	}
	return b.groups()
}

// noSite is allocationKey's "no application frame".
var noSite = siteKey{kind: math.MaxUint8}

// siteGrouper collects members by key: (group, node) pairs in one list,
// then one array of all members ordered by group (a counting sort), each
// group a slice of it. Appending to a slice per group regrew and copied
// the big ones into fresh memory again and again. Members of one site
// tend to come in runs (V8 writes a collection's elements together), so
// the last key's group is tried before the map.
type siteGrouper struct {
	keys  []siteKey
	pairs chunks[uint64] // group<<32 | node
	index map[siteKey]uint32
	last  uint32 // the group of the last pair added
}

func (b *siteGrouper) add(k siteKey, v uint32) {
	if len(b.keys) == 0 || b.keys[b.last] != k {
		if b.index == nil {
			b.index = map[siteKey]uint32{}
		}
		i, ok := b.index[k]
		if !ok {
			i = uint32(len(b.keys))
			b.index[k] = i
			b.keys = append(b.keys, k)
		}
		b.last = i
	}
	b.pairs.add(uint64(b.last)<<32 | uint64(v))
}

// groups lays the members out by group, each group in node order (the
// pairs were added in node order).
func (b *siteGrouper) groups() []siteGroup {
	start := make([]int, len(b.keys)+1)
	pairs := b.pairs.join()
	for _, p := range pairs {
		start[p>>32+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	members := makeColumn[uint32](len(pairs), len(pairs))
	next := slices.Clone(start[:len(b.keys)])
	for _, p := range pairs {
		g := p >> 32
		members[next[g]] = uint32(p)
		next[g]++
	}
	out := make([]siteGroup, len(b.keys))
	for i, k := range b.keys {
		out[i] = siteGroup{key: k, members: members[start[i]:start[i+1]:start[i+1]]}
	}
	return out
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
	return siteKey{loc.ScriptID, loc.Line, loc.Column, kindTimers}, true
}

// allocationKey is the first application frame of v's allocation stack.
// Trace frames name scripts, not script ids: the id is found back by name
// so that keys compare like the others.
func (p *Pass) allocationKey(v uint32, scriptIDs map[string]uint32) siteKey {
	site, ok := p.Loc.AllocationSite(v, p.Opts.IncludeNodeModules)
	if !ok {
		return noSite
	}
	id, ok := scriptIDs[site.Script]
	if !ok {
		return noSite
	}
	return siteKey{id, uint32(site.Line), uint32(site.Column), kindAllocations}
}

// siteName names a site by what its members are: the function of a
// closure or timer callback, the constructor of an instance.
func (p *Pass) siteName(k siteKey, sample uint32) string {
	if k.kind == kindTimers || k.kind == kindAllocations {
		return p.Name(sample)
	}
	return p.Loc.functionName(sample)
}

// distinctPaths returns up to n retainer paths of a group's top-level
// members (topLevel: those no other member keeps alive) that differ in
// the objects that hold them (element indexes and ids aside).
func (p *Pass) distinctPaths(top []uint32, n int) [][]Hop {
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
