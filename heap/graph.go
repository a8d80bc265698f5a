package heap

import "sync"

// Graph is a Snapshot plus the derived structures the detectors need:
// retainers (reverse edges), BFS distances from the roots, the dominator
// tree and retained sizes. All are flat columns indexed by node ordinal.
type Graph struct {
	*Snapshot

	// Retainers: the edges pointing at node n are varint-coded in
	// RetainerData[RetainerOffset[n]:RetainerOffset[n+1]] (see
	// retainers.go); RetainersOf reads them with their source nodes, which
	// come from FirstEdge (EdgeSource), not from a per-edge column.
	RetainerOffset []uint32 // len NodeCount()+1
	RetainerData   []byte

	// Distance is the DevTools-style BFS distance of each node (see
	// distance.go): 1 for user roots such as `global`, at least
	// SystemDistance for nodes reachable only through system roots,
	// Unreachable when not reachable over non-weak edges. The root is 0.
	Distance []int32

	// IDom is the immediate dominator of each node over essential edges
	// (see dominators.go); IDom[root] = root. Every node has one: nodes
	// not reachable over essential edges are attached to the root.
	IDom []uint32

	// Shallow is the self size of each node as DevTools shows it ("Shallow
	// Size", see shallow.go): arrays and hidden backing stores with a single
	// owner count in their owner and show 0. Snapshot.SelfSizes keeps the
	// sizes V8 wrote, which detectors and growth comparisons measure.
	Shallow []uint32

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
func NewGraphWith(s *Snapshot, opt GraphOptions) *Graph {
	g := &Graph{Snapshot: s, clock: newStepClock(opt.Step)}
	// The loader's parse buffers are garbage by now but still resident
	// (~10% of the file): return them before the graph's columns pile up.
	g.release(s.NodeCount())
	g.special = findSpecialStrings(s)
	g.clock.done("special strings")
	n := s.NodeCount()
	ret := RetainedSizes{Low: makeColumn[uint32](n, n)}
	var ess *essentialEdges
	// Three independent passes over the forward edges run together: the
	// retainers (themselves split in two), DevTools' shallow sizes (into
	// the column that becomes the retained sizes) and the page-owned
	// marking the dominators need. Their scratch columns are freed before
	// the dominators' five are allocated.
	var wg sync.WaitGroup
	wg.Go(func() { g.shallowSizes(ret.Low) })
	wg.Go(func() { ess = newEssentialEdges(s, g.special, makeColumn[uint32](n, n)) })
	g.buildRetainers()
	wg.Wait()
	g.clock.done("retainers, shallow sizes, page-owned (concurrent)")
	g.recycle(n)
	scratch := g.computeDominators(&ret, ess)
	g.Retained = ret
	g.recycle(n) // the dominators' preorder idom column
	// The distances' BFS queue reuses the dominators' last scratch column,
	// and the shallow column comes back from the retained sizes after, so
	// neither adds to the peak the dominators set.
	g.computeDistances(scratch)
	g.clock.done("distances")
	g.recycle(n)
	g.Shallow = g.shallowFromRetained()
	g.clock.done("shallow column")
	g.clock = nil
	return g
}
