package heap

import "math"

// Owner states in the owner column of shallowSizes, besides a node ordinal.
const (
	unowned        = math.MaxUint64     // not reached from any owner yet
	multipleOwners = math.MaxUint64 - 1 // reached from two or more owners
	sizeMark       = 1 << 63            // marks a size (not an owner) while moving bytes
)

// shallowSizes fills ret (NodeCount() entries) with the self sizes DevTools
// displays ("Shallow Size", HeapSnapshot.calculateShallowSizes): arrays,
// hidden nodes and external string data reachable (over non-weak edges,
// through other such nodes) from exactly one other node are that node's
// implementation — an object's elements and property backing stores, a
// closure's context internals — so their bytes are moved into it and they
// show 0. The retained sizes are then computed from these sizes, as in
// DevTools.
//
// It is skipped, as in DevTools, when the root has no user roots (a snapshot
// taken with internals exposed). ret serves as the owner column first, so
// no other node-sized array is needed.
func (g *Graph) shallowSizes(ret []uint64) {
	if !g.hasUserRoots() {
		for v, sz := range g.SelfSizes {
			ret[v] = uint64(sz)
		}
		return
	}
	owner := g.owners(ret)
	// Nodes keeping their bytes take their size (marked, as it is not an
	// owner), then the moved ones add theirs to their owner's, which keeps
	// its own (an owner owns itself).
	moved := func(v int, o uint64) bool {
		return o != uint64(v) && o < multipleOwners && g.NodeKinds[o] != NodeSynthetic && o != uint64(g.RootIndex)
	}
	for v, o := range owner {
		if !moved(v, o) {
			owner[v] = sizeMark | uint64(g.SelfSizes[v])
		}
	}
	for v, o := range owner {
		if o&sizeMark == 0 {
			owner[o] += uint64(g.SelfSizes[v])
			owner[v] = sizeMark
		}
	}
	for v := range ret {
		ret[v] &^= sizeMark
	}
}

// owners fills owner with each node's owner: itself for nodes that are not
// ownable, else the one owner it is reached from, unowned or multipleOwners.
func (g *Graph) owners(owner []uint64) []uint64 {
	extData := g.special.extData
	for v := range owner {
		owner[v] = uint64(v)
		switch g.NodeKinds[v] {
		case NodeHidden, NodeArray:
			owner[v] = unowned
		case NodeNative:
			if g.NodeNames[v] == extData {
				owner[v] = unowned
			}
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
			if g.EdgeKinds[e] == EdgeWeak {
				continue
			}
			to := g.EdgeTo[e]
			if k := g.NodeKinds[to]; k != NodeHidden && k != NodeArray && k != NodeNative {
				continue // owns itself (the small kind column spares a look-up in owner)
			}
			switch owner[to] {
			case uint64(to), o, multipleOwners:
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
		if owner[v] != uint64(v) {
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

// shallowFromRetained recovers the shallow sizes from the retained sizes
// and the dominator tree (a node retains its shallow size plus what its
// dominator-tree children retain), so that computing them needed no column
// of their own while the dominators' scratch was live. 32-bit wrap-around
// arithmetic is exact for every shallow size below 4 GiB (V8 objects are
// far smaller; an owner would need 4 GiB of backing stores).
func (g *Graph) shallowFromRetained() []uint32 {
	n := g.NodeCount()
	sh := makeColumn[uint32](n, n)
	for v, r := range g.Retained {
		sh[v] = uint32(r)
	}
	for v, d := range g.IDom {
		if uint32(v) != d {
			sh[d] -= uint32(g.Retained[v])
		}
	}
	return sh
}

// hasUserRoots reports whether the root has a user root child: a
// non-synthetic node (Node's global) or a browser's DOM trees root.
func (g *Graph) hasUserRoots() bool {
	root := g.RootIndex
	for e := g.FirstEdge[root]; e < g.FirstEdge[root+1]; e++ {
		if g.isUserRoot(g.EdgeTo[e]) {
			return true
		}
	}
	return false
}

// isUserRoot is DevTools' JSHeapSnapshot.isUserRoot for a child of the root.
func (g *Graph) isUserRoot(v uint32) bool {
	return g.NodeKinds[v] != NodeSynthetic || isDOMTreesRoot(g.Snapshot, v)
}
