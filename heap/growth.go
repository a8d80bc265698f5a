package heap

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Growth thresholds: a site is reported when its object count grew by at
// least minGrowthObjects and by at least a fifth of its baseline count, or
// when its self size grew by minGrowthBytes.
const (
	minGrowthObjects = 500
	minGrowthShare   = 5 // growth*share >= before
	minGrowthBytes   = 4 << 20
)

// GrowthThresholds is how much a site must grow since the baseline to be
// reported: at least Objects more objects, or at least Bytes more self
// size; a zero field is not a criterion. The zero value means the defaults
// above (which also ask for a 20% increase, to keep production noise out).
type GrowthThresholds struct {
	Objects int
	Bytes   uint64
}

// grown reports whether a growth of grew objects and grewBytes bytes over a
// site that had before objects passes t (or the defaults when t is zero).
func (t GrowthThresholds) grown(grew, before int, grewBytes int64) bool {
	if t == (GrowthThresholds{}) {
		return grew >= minGrowthObjects && grew*minGrowthShare >= before || grewBytes >= minGrowthBytes
	}
	return t.Objects > 0 && grew >= t.Objects || t.Bytes > 0 && grewBytes >= int64(t.Bytes)
}

// GrowthDetector compares the snapshot with a baseline of the same process.
var GrowthDetector = &Detector{
	Name: "growth",
	Code: CodeGrowth,
	Doc: `Compares the snapshot with an earlier one of the same process (object ids
are stable within a process). Objects are grouped per site — the constructor or
function position when V8 reports one, else the constructor name — and sites
whose count grew (at least 500 objects and 20%, or 4 MB) are reported with
before/after counts and how many objects are new since the baseline.`,
	Run: runGrowth,
}

// growthKey identifies a site across the two snapshots: script ids and
// positions are stable within one process, names are compared as strings.
type growthKey struct {
	script, line, col uint32
	located           bool
	kind              NodeKind // a class's instances and its constructor share a position
	name              string
}

type growthCount struct {
	count      int
	bytes      uint64
	sample     uint32   // one new object (target only)
	added      []uint32 // the new objects (target only)
	addedBytes uint64   // their self size (target only)
}

// Baseline is what the growth detector needs of an earlier snapshot: its
// object ids and per-site counts. Keeping this instead of the snapshot lets
// callers drop the baseline's columns before they load the target.
type Baseline struct {
	ids   *idSet
	sites map[growthKey]*growthCount
	// prototypeUsers is the size of V8's prototype-users list at the
	// baseline (v8:10031 grows it; see detect_v8bug.go).
	prototypeUsers uint32
	// watermark is set for a baseline known only by its last object id
	// (NewWatermarkBaseline, watermark.go); ids and sites are then nil.
	watermark bool
	lastID    uint32
}

// NewBaseline summarizes s for AnalyzeOptions.Baseline; nil for an empty
// snapshot.
func NewBaseline(s *Snapshot) *Baseline {
	if s == nil || s.NodeCount() == 0 {
		return nil
	}
	_, users := prototypeUsersList(s)
	return &Baseline{ids: newIDSet(s.NodeIDs), sites: countSites(s, nil), prototypeUsers: users}
}

func runGrowth(p *Pass) []Suspect {
	if p.Baseline == nil {
		return nil
	}
	base := p.Baseline
	after := countSites(p.Snapshot, base)
	keys := make([]growthKey, 0, len(after))
	for k := range after {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareGrowthKeys)
	var out []Suspect
	for _, k := range keys {
		a := after[k]
		bc, bb := base.before(k, a)
		grew := a.count - bc
		grewBytes := int64(a.bytes) - int64(bb)
		if grew <= 0 || len(a.added) == 0 {
			continue
		}
		if !p.Opts.Growth.grown(grew, bc, grewBytes) {
			continue
		}
		sample := p.userReachable(a.added, a.sample)
		site := p.growthSite(k, sample)
		if site.Script != "" && !p.appSite(site) {
			continue
		}
		s := Suspect{
			Site:          site,
			Count:         a.count,
			Growth:        len(a.added),
			SelfBytes:     a.bytes,
			RetainedBytes: p.retainedOf(a.added),
			Path:          p.Path(sample),
		}
		s.Message = fmt.Sprintf("%s grew from %d to %d (+%d, %s → %s) since the baseline; %d of them are new.",
			growthNoun(k), bc, a.count, grew, FormatBytes(bb), FormatBytes(a.bytes), len(a.added))
		if h, share, ok := p.growthHolder(a.added, base); ok {
			s.Holder = h
			s.Message += fmt.Sprintf(" %d%% of the new ones are held by %s, which was already there at the baseline: the collection that grows.", share, holderLabel(h))
		}
		s.Advice = "Objects created here accumulate between the snapshots: check the collection that holds them (see the path) and evict or bound it."
		out = append(out, s)
	}
	return out
}

// growthHolder finds the collection a group grows in: for each new member,
// the first object on its retainer path (walking towards the roots the way
// Path does) that already existed at the baseline — a Map whose table was
// reallocated is still the same Map. The one reached from the most members
// wins if that is at least half of them and it is an object a program made,
// not the root or a GC-roots category. A closure context as the holder is
// named by the variable the members hang from. Walks are memoized over new
// nodes, so long chains of new objects cost one pass. It returns the
// holder and the percentage of the members it holds.
func (p *Pass) growthHolder(added []uint32, base *Baseline) (*Hop, int, bool) {
	type via struct{ node, edge uint32 } // the old node, and its edge into the new ones
	owner := map[uint32]via{}
	count := map[uint32]int{}
	inner := map[uint32]uint32{}
	var walk []uint32
	added = spread(added, maxHolderSample)
	for _, v := range added {
		walk = walk[:0]
		o := via{node: p.RootIndex}
		for u := v; ; {
			e, from, ok := p.closerRetainer(u)
			if !ok {
				break
			}
			if !base.isNew(p.Snapshot, from) || from == p.RootIndex {
				o = via{from, e}
				break
			}
			if m, ok := owner[from]; ok {
				o = m
				break
			}
			walk = append(walk, from)
			u = from
		}
		for _, x := range walk {
			owner[x] = o
		}
		if count[o.node]++; count[o.node] == 1 {
			inner[o.node] = o.edge
		}
	}
	best, n := p.RootIndex, 0
	for u, c := range count {
		if c > n || c == n && u < best {
			best, n = u, c
		}
	}
	if best == p.RootIndex || p.NodeKinds[best] == NodeSynthetic || 2*n < len(added) {
		return nil, 0, false
	}
	h := Hop{Node: p.nodeLabel(best), NodeID: p.NodeIDs[best]}
	share := 100 * n / len(added)
	if path := p.Path(best); len(path) > 0 {
		h = path[len(path)-1]
	}
	if p.NodeNames[best] == p.n.sysContext { // a scope: the variable is the name
		h.Edge = p.edgeLabel(inner[best])
	}
	return &h, share, true
}

// maxHolderSample bounds how many members growthHolder walks from: the
// majority holder shows in an even sample, and a million-object group would
// otherwise memoize millions of walks.
const maxHolderSample = 4096

// spread returns at most n elements of s, evenly spaced.
func spread(s []uint32, n int) []uint32 {
	if len(s) <= n {
		return s
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = s[i*len(s)/n]
	}
	return out
}

// holderLabel is "Map @7 (.cache)": the node and the edge it is reached by.
func holderLabel(h *Hop) string {
	switch {
	case h.Edge == "":
		return h.Node
	case h.Edge[0] == '[' || h.Edge[0] == '<':
		return h.Node + " (" + h.Edge + ")"
	}
	return h.Node + " (." + h.Edge + ")"
}

// userReachable picks the group member to show a path for: the first one
// reachable from a user root (global, a module), whose path names the
// collection that holds it, rather than one that a stack frame or handle
// scope happened to hold when the snapshot was taken. fallback otherwise.
func (p *Pass) userReachable(members []uint32, fallback uint32) uint32 {
	if p.Distance.Len() != p.NodeCount() {
		return fallback
	}
	for _, v := range members {
		if d := p.Distance.At(v); d > 0 && d < SystemDistance {
			return v
		}
	}
	return fallback
}

// growthNoun names what a group counts: "Job objects", "plain objects",
// "closures of onTick()", "closures of the anonymous function".
func growthNoun(k growthKey) string {
	switch {
	case k.kind == NodeClosure && k.name == "":
		return "closures of the anonymous function"
	case k.kind == NodeClosure:
		return "closures of " + k.name + "()"
	case k.name == "":
		return "objects"
	case k.name == "Object":
		return "plain objects"
	case k.name == "Array":
		return "arrays"
	}
	return k.name + " objects"
}

// growthSite returns the site of a group: its location, else the first
// app frame of a new object's allocation stack, else just the name.
func (p *Pass) growthSite(k growthKey, sample uint32) Site {
	if k.located {
		return p.Loc.siteOf(Location{ScriptID: k.script, Line: k.line, Column: k.col}, k.name)
	}
	if site, ok := p.Loc.AllocationSite(sample, p.Opts.IncludeNodeModules); ok {
		site.Function = k.name
		return site
	}
	return Site{Function: k.name}
}

// growthKind reports whether nodes of this kind are grouped: objects and
// functions developers create, not strings, code or engine internals.
func growthKind(s *Snapshot, v uint32) bool {
	switch s.NodeKinds[v] {
	case NodeObject, NodeClosure, NodeRegExp, NodeNative:
		return !s.Strings.hasPrefix(s.NodeNames[v], "system / ")
	}
	return false
}

// countSites groups the nodes of s by site. With base set (the target
// side) it also collects the objects allocated after the baseline.
func countSites(s *Snapshot, base *Baseline) map[growthKey]*growthCount {
	byName := map[[2]uint32]*growthCount{} // name, kind
	type locKey [4]uint32                  // script, line, column, kind
	byLoc := map[locKey]*growthCount{}
	nameOf := map[locKey]uint32{}
	li := 0
	for v := range uint32(s.NodeCount()) {
		for li < len(s.Locations) && s.Locations[li].Node < v {
			li++
		}
		if !growthKind(s, v) {
			continue
		}
		var c *growthCount
		if li < len(s.Locations) && s.Locations[li].Node == v {
			loc := s.Locations[li]
			k := locKey{loc.ScriptID, loc.Line, loc.Column, uint32(s.NodeKinds[v])}
			if c = byLoc[k]; c == nil {
				c = &growthCount{}
				byLoc[k] = c
				nameOf[k] = s.NodeNames[v]
			}
		} else {
			k := [2]uint32{s.NodeNames[v], uint32(s.NodeKinds[v])}
			if c = byName[k]; c == nil {
				c = &growthCount{}
				byName[k] = c
			}
		}
		c.count++
		c.bytes += uint64(s.SelfSizes[v])
		if base != nil && base.isNew(s, v) {
			if len(c.added) == 0 {
				c.sample = v
			}
			c.added = append(c.added, v)
			c.addedBytes += uint64(s.SelfSizes[v])
		}
	}
	out := make(map[growthKey]*growthCount, len(byName)+len(byLoc))
	for k, c := range byLoc {
		out[growthKey{script: k[0], line: k[1], col: k[2], located: true, kind: NodeKind(k[3]), name: s.Strings.Get(nameOf[k])}] = c
	}
	for k, c := range byName {
		out[growthKey{kind: NodeKind(k[1]), name: s.Strings.Get(k[0])}] = c
	}
	return out
}

// before is a site's count and self size at the baseline: from the
// baseline snapshot's summary, or, for a watermark, its objects in the
// target that are older than the watermark (the survivors).
func (b *Baseline) before(k growthKey, after *growthCount) (int, uint64) {
	if b.watermark {
		return after.count - len(after.added), after.bytes - after.addedBytes
	}
	if c := b.sites[k]; c != nil {
		return c.count, c.bytes
	}
	return 0, 0
}

// idSet answers "was this id in the baseline?". V8 heap objects have odd
// ids allocated densely from 1, so they go in a bitset; embedder objects
// (even ids, often above 2^31) go in a sorted slice, and so do odd ids too
// sparse for a bitset (a crafted id of 2^32-1 would cost 256 MB of bits).
type idSet struct {
	odd  []uint64
	rest []uint32 // sorted
}

func newIDSet(ids []uint32) *idSet {
	var maxOdd uint32
	for _, id := range ids {
		if id&1 == 1 {
			maxOdd = max(maxOdd, id)
		}
	}
	dense := uint64(maxOdd)/16 <= 8*uint64(len(ids))+1<<20 // bitset bytes vs a few bytes per id
	set := &idSet{}
	if dense {
		set.odd = make([]uint64, maxOdd/128+1)
	}
	for _, id := range ids {
		if dense && id&1 == 1 {
			set.odd[id/128] |= 1 << (id / 2 % 64)
		} else {
			set.rest = append(set.rest, id)
		}
	}
	slices.Sort(set.rest)
	return set
}

func (s *idSet) has(id uint32) bool {
	if id&1 == 1 && s.odd != nil {
		i := id / 128
		return int(i) < len(s.odd) && s.odd[i]&(1<<(id/2%64)) != 0
	}
	_, ok := slices.BinarySearch(s.rest, id)
	return ok
}

func compareGrowthKeys(a, b growthKey) int {
	return cmp.Or(cmp.Compare(a.script, b.script), cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col),
		cmp.Compare(a.kind, b.kind), strings.Compare(a.name, b.name))
}
