package heap

import (
	"math"
	"slices"
)

// Owner states in the owner column of movedNodes, besides a node ordinal.
const (
	unowned        = math.MaxUint32     // not reached from any owner yet
	multipleOwners = math.MaxUint32 - 1 // reached from two or more owners
)

// Shallow sizes are the self sizes DevTools displays ("Shallow Size",
// HeapSnapshot.calculateShallowSizes): arrays, hidden nodes and external
// string data reachable (over non-weak edges, through other such nodes)
// from exactly one other node are that node's implementation — an object's
// elements and property backing stores, a closure's context internals — so
// their bytes are moved into it and they show 0. The retained sizes are
// computed from these sizes, as in DevTools. Sums wrap at 4 GiB (an owner
// would need 4 GiB of backing stores).
//
// The graph keeps only which nodes are moved (a bit per node, instead of a
// column of sizes): a moved node shows 0, any other node its own size plus
// those of the moved nodes it reaches through moved nodes, which are
// exactly the ones it owns (see ownedBytes).

// ShallowSize returns the self size DevTools shows for node v.
func (g *Graph) ShallowSize(v uint32) uint32 {
	switch {
	case len(g.moved) == 0 || !g.canOwn(v) && !g.isMoved(v):
		return g.SelfSizes[v]
	case g.isMoved(v):
		return 0
	}
	// An owner owns a few nodes (an elements store, a properties array, a
	// context's internals): a short list dedupes them without allocating,
	// a map takes over for the rare big one.
	var small, stack [16]uint32
	seen := small[:0]
	var many map[uint32]bool
	owned, _ := g.ownedBytes(v, func(m uint32) bool {
		switch {
		case many != nil:
			if many[m] {
				return false
			}
			many[m] = true
			return true
		case slices.Contains(seen, m):
			return false
		case len(seen) == len(small):
			many = make(map[uint32]bool, 2*len(small))
			for _, x := range seen {
				many[x] = true
			}
			many[m] = true
			return true
		}
		seen = append(seen, m)
		return true
	}, stack[:0])
	return g.SelfSizes[v] + owned
}

// shallowSizes calls f with every node's shallow size, in node order.
func (g *Graph) shallowSizes(f func(v, size uint32)) {
	n := g.NodeCount()
	if len(g.moved) == 0 {
		for v := range uint32(n) {
			f(v, g.SelfSizes[v])
		}
		return
	}
	// A moved node has one owner, so one bitset serves every owner's walk.
	counted := make([]uint64, (n+63)/64)
	first := func(m uint32) bool {
		if counted[m/64]&(1<<(m%64)) != 0 {
			return false
		}
		counted[m/64] |= 1 << (m % 64)
		return true
	}
	var stack []uint32
	for v := range uint32(n) {
		size := uint32(0)
		switch {
		case g.canOwn(v):
			var owned uint32
			owned, stack = g.ownedBytes(v, first, stack)
			size = g.SelfSizes[v] + owned
		case !g.isMoved(v):
			size = g.SelfSizes[v]
		}
		f(v, size)
	}
}

// ownedBytes sums the self sizes of the moved nodes that owner (canOwn)
// reaches over non-weak edges through moved nodes: each is owned by owner,
// as owners() propagates from owner through every ownable node and a node
// reached from two owners is not moved. first reports whether a node is
// seen for the first time. stack is scratch, returned (maybe grown) for
// the next call.
func (g *Graph) ownedBytes(owner uint32, first func(uint32) bool, stack []uint32) (uint32, []uint32) {
	st := stack[:0]
	var sum uint32
	v := owner
	for {
		for e := g.FirstEdge[v]; e < g.FirstEdge[v+1]; e++ {
			if to := g.EdgeTo(e); g.isMoved(to) && g.EdgeKind(e) != EdgeWeak && first(to) {
				sum += g.SelfSizes[to]
				st = append(st, to)
			}
		}
		if len(st) == 0 {
			return sum, st
		}
		v = st[len(st)-1]
		st = st[:len(st)-1]
	}
}

// canOwn reports whether v is one of the nodes owners() propagates from:
// not ownable itself (not an array, a hidden node or external string data).
func (g *Graph) canOwn(v uint32) bool {
	switch g.NodeKinds[v] {
	case NodeHidden, NodeArray:
		return false
	case NodeNative:
		return g.NodeNames[v] != g.special.extData
	}
	return true
}

func (g *Graph) isMoved(v uint32) bool {
	return len(g.moved) > 0 && g.moved[v/64]&(1<<(v%64)) != 0
}

// movedNodes returns the bitset of moved nodes, nil when nothing moves:
// as in DevTools, when the root has no user roots (a snapshot taken with
// internals exposed).
func (g *Graph) movedNodes() []uint64 {
	n := g.NodeCount()
	if !g.hasUserRoots() {
		return nil
	}
	owner := g.owners(makeColumn[uint32](n, n))
	moved := make([]uint64, (n+63)/64)
	// A node moves into its one owner, unless that owner is synthetic or
	// the root (which show their own sizes only).
	root := g.RootIndex
	for v, o := range owner {
		if o != uint32(v) && o < multipleOwners && g.NodeKinds[o] != NodeSynthetic && o != root {
			moved[v/64] |= 1 << (v % 64)
		}
	}
	return moved
}

// owners fills owner with each node's owner: itself for nodes that are not
// ownable, else the one owner it is reached from, unowned or multipleOwners.
func (g *Graph) owners(owner []uint32) []uint32 {
	for v := range owner {
		owner[v] = uint32(v)
		if !g.canOwn(uint32(v)) {
			owner[v] = unowned
		}
	}
	// Propagate owners from each self-owned node through ownable nodes. The
	// states only go unowned -> one owner -> multipleOwners, so the fixpoint
	// is the same in any visiting order; visiting one owner at a time keeps
	// the stack to the ownable nodes in flight.
	var stack []uint32
	visit := func(v uint32) {
		o := owner[v]
		for e := g.FirstEdge[v]; e < g.FirstEdge[v+1]; e++ {
			if g.EdgeKind(e) == EdgeWeak {
				continue
			}
			to := g.EdgeTo(e)
			if k := g.NodeKinds[to]; k != NodeHidden && k != NodeArray && k != NodeNative {
				continue // owns itself (the small kind column spares a look-up in owner)
			}
			switch owner[to] {
			case to, o, multipleOwners:
			case unowned:
				owner[to] = o
				stack = append(stack, to)
			default:
				owner[to] = multipleOwners
				stack = append(stack, to)
			}
		}
	}
	for v := range uint32(len(owner)) {
		if owner[v] != v {
			continue
		}
		visit(v)
		for len(stack) > 0 {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			visit(w)
		}
	}
	return owner
}

// hasUserRoots reports whether the root has a user root child: a
// non-synthetic node (Node's global) or a browser's DOM trees root.
func (g *Graph) hasUserRoots() bool {
	root := g.RootIndex
	for e := g.FirstEdge[root]; e < g.FirstEdge[root+1]; e++ {
		if g.isUserRoot(g.EdgeTo(e)) {
			return true
		}
	}
	return false
}

// isUserRoot is DevTools' JSHeapSnapshot.isUserRoot for a child of the root.
func (g *Graph) isUserRoot(v uint32) bool {
	return g.NodeKinds[v] != NodeSynthetic || isDOMTreesRoot(g.Snapshot, v)
}
