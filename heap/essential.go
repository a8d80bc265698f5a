package heap

// essentialEdges decides which edges count for dominators, exactly as
// DevTools does (HeapSnapshot.computeIsEssentialEdge): weak edges, self
// edges and shortcuts other than the root's do not retain; of the two edges
// that keep a WeakMap value alive (from the key and from the table) only the
// key's counts; and an edge from a node that is not page-owned to a
// page-owned one does not count.
//
// Page-owned nodes are those reachable over non-weak edges from the root's
// shortcut edges. Every Node.js snapshot has `root -[shortcut]-> global`, so
// everything reachable from global is page-owned, and an edge into it from a
// V8 or Node root ((Internalized strings), the startup object cache,
// eternal handles, the stack of the code that took the snapshot) is
// ignored: the object is dominated as if only the program's own references
// held it. docs/sizes.md says where that differs from "the bytes freed".
type essentialEdges struct {
	root      uint32
	edges     []uint32    // Snapshot.Edges
	names     *uintColumn // Snapshot.EdgeNames
	ids       []uint32
	pageOwned []uint64 // bitset over nodes
	weakMaps  *weakMapNames
}

// newEssentialEdges marks the page-owned nodes; stack is scratch of at least
// NodeCount() entries (each node is pushed at most once).
func newEssentialEdges(s *Snapshot, sp *specialStrings, stack []uint32) *essentialEdges {
	return &essentialEdges{
		root: s.RootIndex, edges: s.Edges, names: &s.EdgeNames, ids: s.NodeIDs,
		pageOwned: markPageOwned(s, stack),
		weakMaps:  &sp.weakMaps,
	}
}

// markPageOwned returns the set of nodes reachable over non-weak edges from
// the targets of the root's shortcut edges and from "(Document DOM trees)"
// (DevTools' markPageOwnedNodes).
func markPageOwned(s *Snapshot, stack []uint32) []uint64 {
	owned := make([]uint64, (s.NodeCount()+63)/64)
	sp := 0
	push := func(v uint32) {
		if owned[v/64]&(1<<(v%64)) == 0 {
			owned[v/64] |= 1 << (v % 64)
			stack[sp] = v
			sp++
		}
	}
	root := s.RootIndex
	if int(root) >= s.NodeCount() {
		return owned
	}
	for e := s.FirstEdge[root]; e < s.FirstEdge[root+1]; e++ {
		to := s.EdgeTo(e)
		if s.EdgeKind(e) == EdgeShortcut || (s.EdgeKind(e) == EdgeElement && isDOMTreesRoot(s, to)) {
			push(to)
		}
	}
	for sp > 0 {
		sp--
		v := stack[sp]
		for e := s.FirstEdge[v]; e < s.FirstEdge[v+1]; e++ {
			if s.EdgeKind(e) != EdgeWeak {
				push(s.EdgeTo(e))
			}
		}
	}
	return owned
}

// isDOMTreesRoot reports the synthetic "(Document DOM trees)" node of
// browser snapshots, a user root for DevTools like the root's non-synthetic
// children.
func isDOMTreesRoot(s *Snapshot, v uint32) bool {
	return s.NodeKinds[v] == NodeSynthetic && s.Name(v) == "(Document DOM trees)"
}

// retains reports whether edge e from node from to node to is essential.
func (x *essentialEdges) retains(from, e, to uint32) bool {
	kind := EdgeKind(x.edges[e] & (1<<edgeKindBits - 1))
	switch kind {
	case EdgeWeak:
		return false
	case EdgeInternal:
		if t, ok := x.weakMaps.table(x.names.At(e)); ok && t == x.ids[from] {
			return false // table -> value: the key's edge is the one that counts
		}
	}
	if from == to {
		return false
	}
	if from == x.root {
		return true // the root's shortcuts mark the user roots
	}
	return kind != EdgeShortcut && (!x.owned(to) || x.owned(from))
}

func (x *essentialEdges) owned(v uint32) bool { return x.pageOwned[v/64]&(1<<(v%64)) != 0 }
