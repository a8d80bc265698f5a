package heap

import "math"

// Owner states in shallowSizes' owner column, besides a node ordinal.
const (
	unowned        = math.MaxUint32     // not reached from any owner yet
	multipleOwners = math.MaxUint32 - 1 // reached from two or more owners
)

// shallowSizes computes the self sizes DevTools displays ("Shallow Size",
// HeapSnapshot.calculateShallowSizes): arrays, hidden nodes and external
// string data reachable (over non-weak edges, through other such nodes) from
// exactly one other node are that node's implementation — an object's
// elements and property backing stores, a closure's context internals — so
// their bytes are moved into it and they show 0. The retained sizes are then
// computed from these sizes, as in DevTools.
//
// It is skipped, as in DevTools, when the root has no user roots (a snapshot
// taken with internals exposed). It writes the sizes into ret (NodeCount()
// entries) and, saturated to 32 bits, into scratch (at least NodeCount()
// entries, used as the owner column while it runs), which it returns.
func (g *Graph) shallowSizes(scratch []uint32, ret []uint64) []uint32 {
	n := g.NodeCount()
	for v, sz := range g.SelfSizes {
		ret[v] = uint64(sz)
	}
	sizes := scratch[:n]
	if !g.hasUserRoots() {
		copy(sizes, g.SelfSizes)
		return sizes
	}
	owner := g.owners(scratch[:n])
	// Move the bytes. An owned node is never an owner itself (owners own
	// themselves), so the order of the moves does not matter.
	for v, o := range owner {
		if o != uint32(v) && o != unowned && o != multipleOwners && g.NodeKinds[o] != NodeSynthetic && o != g.RootIndex {
			ret[o] += ret[v]
			ret[v] = 0
		}
	}
	for v, sz := range ret {
		sizes[v] = uint32(min(sz, math.MaxUint32)) // saturates like the loader's self sizes
	}
	return sizes
}

// owners fills owner with each node's owner: itself for nodes that are not
// ownable, else the one owner it is reached from, unowned or multipleOwners.
func (g *Graph) owners(owner []uint32) []uint32 {
	extData := stringIndex(&g.Strings, "system / ExternalStringData")
	for v := range owner {
		switch g.NodeKinds[v] {
		case NodeHidden, NodeArray:
			owner[v] = unowned
		case NodeNative:
			owner[v] = uint32(v)
			if g.NodeNames[v] == extData {
				owner[v] = unowned
			}
		default:
			owner[v] = uint32(v)
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

// stringIndex returns the index of string str in t, or ^0 if absent.
func stringIndex(t *Strings, str string) uint32 {
	for i := range t.Len() {
		if string(t.Arena[t.Offsets[i]:t.Offsets[i+1]]) == str {
			return uint32(i)
		}
	}
	return ^uint32(0)
}
