package heap

import "math"

// Owner states in the owner column of shallowSizes, besides a node ordinal.
const (
	unowned        = math.MaxUint32     // not reached from any owner yet
	multipleOwners = math.MaxUint32 - 1 // reached from two or more owners
)

// shallowSizes computes the self sizes DevTools displays ("Shallow Size",
// HeapSnapshot.calculateShallowSizes): arrays, hidden nodes and external
// string data reachable (over non-weak edges, through other such nodes)
// from exactly one other node are that node's implementation — an object's
// elements and property backing stores, a closure's context internals — so
// their bytes are moved into it and they show 0. The retained sizes are
// then computed from these sizes, as in DevTools. Sums wrap at 4 GiB (an
// owner would need 4 GiB of backing stores).
//
// It is skipped, as in DevTools, when the root has no user roots (a snapshot
// taken with internals exposed). It fills sh (one entry per node); its
// scratch owner column is garbage on return.
func (g *Graph) shallowSizes(sh []uint32) {
	if !g.hasUserRoots() {
		copy(sh, g.SelfSizes)
		return
	}
	owner := g.owners(makeColumn[uint32](len(sh), len(sh)))
	// A moved node's owner owns itself, so it is not moved: every node
	// adds its bytes either to itself or to its owner.
	root := g.RootIndex
	for v, o := range owner {
		if o != uint32(v) && o < multipleOwners && g.NodeKinds[o] != NodeSynthetic && o != root {
			sh[o] += g.SelfSizes[v]
		} else {
			sh[v] += g.SelfSizes[v]
		}
	}
}

// shallowFromRetained recovers the shallow sizes from the retained sizes
// and the dominator tree (a node retains its shallow size plus what its
// dominator-tree children retain), so that they needed no column of their
// own while the dominators' scratch was live. 32-bit wrap-around
// arithmetic is exact for every shallow size below 4 GiB.
func (g *Graph) shallowFromRetained() []uint32 {
	n := g.NodeCount()
	sh := makeColumn[uint32](n, n)
	for v := range uint32(n) {
		sh[v] = uint32(g.Retained.At(v))
	}
	for v, d := range g.IDom {
		if uint32(v) != d {
			sh[d] -= uint32(g.Retained.At(uint32(v)))
		}
	}
	return sh
}

// owners fills owner with each node's owner: itself for nodes that are not
// ownable, else the one owner it is reached from, unowned or multipleOwners.
func (g *Graph) owners(owner []uint32) []uint32 {
	extData := g.special.extData
	for v := range owner {
		owner[v] = uint32(v)
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
