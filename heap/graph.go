package heap

import "sync"

// Graph is a Snapshot plus the derived structures the detectors need:
// retainers (reverse edges), BFS distances from the roots, the dominator
// tree and retained sizes. All are flat columns indexed by node ordinal.
type Graph struct {
	*Snapshot

	// Retainers: the edges pointing at node n are varint-coded in
	// RetainerData[RetainerOffset.At(n):RetainerOffset.At(n+1)] (see
	// retainers.go); RetainersOf reads them with their source nodes, which
	// come from FirstEdge (EdgeSource), not from a per-edge column.
	RetainerOffset uintColumn // NodeCount()+1 offsets, bit-packed
	RetainerData   []byte

	// Distance is the DevTools-style BFS distance of each node (see
	// distance.go): 1 for user roots such as `global`, at least
	// SystemDistance for nodes reachable only through system roots,
	// Unreachable when not reachable over non-weak edges. The root is 0.
	Distance Distances

	// IDom is the immediate dominator of each node over essential edges
	// (see dominators.go), bit-packed; IDom.At(root) = root. Every node has
	// one: nodes not reachable over essential edges are attached to the
	// root.
	IDom uintColumn

	// moved marks the nodes whose self size DevTools shows in their owner
	// (a bitset; nil when nothing moves): see ShallowSize. Snapshot.SelfSizes
	// keeps the sizes V8 wrote, which detectors and growth comparisons
	// measure.
	moved []uint64

	// Retained is the retained size of each node: its shallow size plus
	// the retained sizes of the nodes it immediately dominates.
	Retained RetainedSizes

	// dom numbers the dominator tree for "a dominates b" tests.
	dom domIndex

	src     edgeSources
	special *specialStrings
	clock   *stepClock
}

// NewGraph computes retainers, distances, dominators and retained sizes.
func NewGraph(s *Snapshot) *Graph { return NewGraphWith(s, GraphOptions{}) }

// NewGraphWith is NewGraph with options.
//
// The steps run in the order that keeps the peak memory lowest: each
// frees its scratch columns before the next allocates, and the dominators,
// whose five columns set the peak, run last with only the snapshot, the
// retainers and the small distance column beside them.
func NewGraphWith(s *Snapshot, opt GraphOptions) *Graph {
	g := &Graph{Snapshot: s, clock: newStepClock(opt.Step)}
	// The loader's parse buffers are garbage by now but still resident
	// (~10% of the file): return them before the graph's columns pile up.
	n := s.NodeCount()
	g.release(n)
	g.special = findSpecialStrings(s)
	g.clock.done("special strings")
	var ess *essentialEdges
	// Three independent passes over the forward edges run together: the
	// retainers (themselves split in two), the nodes whose size DevTools
	// moves into their owner, and the page-owned marking the dominators
	// need.
	var wg sync.WaitGroup
	wg.Go(func() { g.moved = g.movedNodes() })
	wg.Go(func() { ess = newEssentialEdges(s, g.special, makeColumn[uint32](n, n)) })
	g.buildRetainers()
	wg.Wait()
	g.clock.done("retainers, moved nodes, page-owned (concurrent)")
	g.recycle(n) // their scratch columns: the distances' two take their pages
	g.computeDistances()
	g.clock.done("distances")
	g.release(n)
	g.computeDominators(ess)
	// The dominator steps' last scratch column (the DFS order) is garbage
	// now: return it before the detectors allocate, or it sets the peak.
	g.release(n)
	g.clock = nil
	return g
}
