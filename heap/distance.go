package heap

import "strconv"

// Distances follow DevTools (heapsnapshot.md §5) so that sizes and paths
// read the same as in Chrome: user roots (the root's non-synthetic children,
// e.g. `global`) are at 1 and the objects reached from them count up from
// there; everything reachable only through system roots counts up from
// SystemDistance; Unreachable marks nodes not reachable over non-weak
// edges. The root is at SystemDistance when user roots exist, else 0.
const (
	SystemDistance int32 = 100_000_000
	Unreachable    int32 = -5
)

// computeDistances runs the two BFS passes.
func (g *Graph) computeDistances() {
	n := g.NodeCount()
	queue := makeColumn[uint32](0, n)
	dist := makeColumn[int32](n, n)
	for i := range dist {
		dist[i] = Unreachable
	}
	g.Distance = dist
	if n == 0 {
		return
	}
	f := newDistanceFilter(g.Snapshot)
	root := g.RootIndex
	queue = queue[:0]
	for e := g.FirstEdge[root]; e < g.FirstEdge[root+1]; e++ {
		to := g.EdgeTo[e]
		if g.NodeKinds[to] != NodeSynthetic && g.EdgeKinds[e] != EdgeWeak && dist[to] == Unreachable && to != root {
			dist[to] = 1
			queue = append(queue, to)
		}
	}
	g.bfs(queue, f)
	dist[root] = 0
	if len(queue) > 0 {
		dist[root] = SystemDistance
	}
	g.bfs(append(queue[:0], root), f)
}

// bfs visits breadth-first from the nodes in queue (whose distances are set),
// using queue's backing array as the FIFO.
func (g *Graph) bfs(queue []uint32, f *distanceFilter) {
	dist := g.Distance
	for head := 0; head < len(queue); head++ {
		v := queue[head]
		d := dist[v] + 1
		for e := g.FirstEdge[v]; e < g.FirstEdge[v+1]; e++ {
			to := g.EdgeTo[e]
			if dist[to] != Unreachable || g.EdgeKinds[e] == EdgeWeak || !f.follow(v, e) {
				continue
			}
			dist[to] = d
			queue = append(queue, to)
		}
	}
}

// distanceFilter skips the links DevTools skips when computing distances:
// NativeContext's sloppy_function_map and the descriptor slots of
// "(map descriptors)" arrays that maps may share (crbug.com/413608).
// DevTools' WeakMap rule (a value's distance counts from the later of key
// and table) is not applied: the value gets the first one reached.
type distanceFilter struct {
	s                                    *Snapshot
	nativeContext, descriptors, sloppyFn uint32 // string indexes, ^0 if absent
}

func newDistanceFilter(s *Snapshot) *distanceFilter {
	f := &distanceFilter{s: s, nativeContext: ^uint32(0), descriptors: ^uint32(0), sloppyFn: ^uint32(0)}
	t := &s.Strings
	for i := range t.Len() {
		switch string(t.Arena[t.Offsets[i]:t.Offsets[i+1]]) {
		case "system / NativeContext":
			f.nativeContext = uint32(i)
		case "(map descriptors)":
			f.descriptors = uint32(i)
		case "sloppy_function_map":
			f.sloppyFn = uint32(i)
		}
	}
	return f
}

func (f *distanceFilter) follow(from, e uint32) bool {
	s := f.s
	switch s.NodeNames[from] {
	case f.nativeContext:
		return s.NodeKinds[from] != NodeHidden || s.EdgeKinds[e] == EdgeElement || s.EdgeKinds[e] == EdgeHidden || s.EdgeNames[e] != f.sloppyFn
	case f.descriptors:
		if s.NodeKinds[from] != NodeArray {
			return true
		}
		index, ok := edgeIndex(s, e)
		return !ok || index < 2 || index%3 != 1
	}
	return true
}

// edgeIndex is the numeric name of edge e: its index for element and hidden
// edges, else its name parsed as a decimal number.
func edgeIndex(s *Snapshot, e uint32) (uint64, bool) {
	if k := s.EdgeKinds[e]; k == EdgeElement || k == EdgeHidden {
		return uint64(s.EdgeNames[e]), true
	}
	v, err := strconv.ParseUint(s.Strings.Get(s.EdgeNames[e]), 10, 32)
	return v, err == nil
}
