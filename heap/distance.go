package heap

import "strconv"

// Distances follow DevTools (HeapSnapshot.calculateDistances) so that sizes
// and paths read the same as in Chrome: user roots (the root's non-synthetic
// children, e.g. `global`) are at 1 and the objects reached from them count
// up from there; everything reachable only through system roots counts up
// from SystemDistance; Unreachable marks nodes not reachable over non-weak
// edges. The root is at SystemDistance when user roots exist, else 0.
const (
	SystemDistance int32 = 100_000_000
	Unreachable    int32 = -5
)

// Distances holds each node's distance in the fewest bits that hold the
// largest: code 0 is Unreachable, codes 1.. are user distances 0.., and
// codes from SysBase up are SystemDistance and above. Heaps are a few dozen
// levels deep (a leaking chain some thousands), so a distance takes 8-16
// bits instead of an int32.
type Distances struct {
	Codes   uintColumn
	SysBase uint32
}

// At returns node v's distance.
func (d *Distances) At(v uint32) int32 {
	c := d.Codes.At(v)
	switch {
	case c == 0:
		return Unreachable
	case c < d.SysBase:
		return int32(c - 1)
	}
	return SystemDistance + int32(c-d.SysBase)
}

// Len returns the number of nodes (0 when the graph has no distances).
func (d *Distances) Len() int { return d.Codes.Len() }

// packDistances encodes dist (see Distances).
func packDistances(dist []int32) Distances {
	var maxUser, maxSys int32 = -1, -1
	for _, x := range dist {
		switch {
		case x >= SystemDistance:
			maxSys = max(maxSys, x-SystemDistance)
		case x >= 0:
			maxUser = max(maxUser, x)
		}
	}
	base := uint32(maxUser + 2)
	c := newUintColumn(len(dist), base+uint32(max(maxSys, 0)))
	for v, x := range dist {
		switch {
		case x >= SystemDistance:
			c.set(uint32(v), base+uint32(x-SystemDistance))
		case x >= 0:
			c.set(uint32(v), uint32(x)+1)
		}
	}
	return Distances{Codes: c, SysBase: base}
}

// computeDistances runs the two BFS passes over scratch columns and packs
// the result into g.Distance.
func (g *Graph) computeDistances() {
	n := g.NodeCount()
	dist := makeColumn[int32](n, n)
	for i := range dist {
		dist[i] = Unreachable
	}
	defer func() { g.Distance = packDistances(dist) }()
	if n == 0 {
		return
	}
	f := newDistanceFilter(g.Snapshot, g.special)
	root := g.RootIndex
	// Every edge to a user root enqueues it, duplicates included, as in
	// DevTools: a second visit can follow an ephemeron edge the first one
	// left pending. A queue of n entries never grows (see fifo).
	q := fifo{buf: makeColumn[uint32](n, n)}
	for e := g.FirstEdge[root]; e < g.FirstEdge[root+1]; e++ {
		if to := g.EdgeTo(e); g.isUserRoot(to) {
			dist[to] = 1
			q.push(to)
		}
	}
	users := q.size > 0
	g.bfs(dist, &q, f)
	dist[root] = 0
	if users {
		dist[root] = SystemDistance
	}
	q.push(root)
	g.bfs(dist, &q, f)
}

// bfs visits breadth-first from the nodes in q (whose distances are set).
func (g *Graph) bfs(dist []int32, q *fifo, f *distanceFilter) {
	for q.size > 0 {
		v := q.pop()
		d := dist[v] + 1
		for e := g.FirstEdge[v]; e < g.FirstEdge[v+1]; e++ {
			to := g.EdgeTo(e)
			if g.EdgeKind(e) == EdgeWeak || dist[to] != Unreachable || !f.follow(v, e) {
				continue
			}
			dist[to] = d
			q.push(to)
		}
	}
}

// distanceFilter skips the links DevTools skips when computing distances:
// NativeContext's sloppy_function_map, the descriptor slots of
// "(map descriptors)" arrays that maps may share (crbug.com/413608), and
// the first-reached of the two edges holding a WeakMap value
// (crbug.com/1290800): a value is only as close as the later of its key and
// its table, since dropping either frees it.
type distanceFilter struct {
	s       *Snapshot
	sp      *specialStrings
	pending []bool // per WeakMap pair: one of its edges was skipped
}

func newDistanceFilter(s *Snapshot, sp *specialStrings) *distanceFilter {
	return &distanceFilter{s: s, sp: sp, pending: make([]bool, sp.weakMaps.pairs)}
}

// follow is called, as DevTools' filter is, only for a non-weak edge to a
// node not reached yet; the ephemeron rule depends on that.
func (f *distanceFilter) follow(from, e uint32) bool {
	s, sp := f.s, f.sp
	kind := s.EdgeKind(e)
	named := kind != EdgeElement && kind != EdgeHidden
	switch s.NodeNames[from] {
	case sp.nativeContext:
		if s.NodeKinds[from] == NodeHidden && named && s.EdgeNameOrIndex(e) == sp.sloppyFn {
			return false
		}
	case sp.descriptors:
		if s.NodeKinds[from] == NodeArray {
			index, ok := edgeIndex(s, e)
			return !ok || index < 2 || index%3 != 1
		}
	}
	if kind == EdgeInternal && sp.weakMaps.is(s.EdgeNameOrIndex(e)) {
		p := sp.weakMaps.pairOf[s.EdgeNameOrIndex(e)]
		f.pending[p] = !f.pending[p]
		return !f.pending[p] // the second edge of the pair is followed
	}
	return true
}

// edgeIndex is the numeric name of edge e as JavaScript's parseInt reads it:
// its index for element and hidden edges, else the leading decimal digits
// of its name.
func edgeIndex(s *Snapshot, e uint32) (uint64, bool) {
	if k := s.EdgeKind(e); k == EdgeElement || k == EdgeHidden {
		return uint64(s.EdgeNameOrIndex(e)), true
	}
	name := s.Strings.Get(s.EdgeNameOrIndex(e))
	end := 0
	for end < len(name) && end < 18 && name[end] >= '0' && name[end] <= '9' {
		end++
	}
	v, err := strconv.ParseUint(name[:end], 10, 64)
	return v, err == nil
}
