package heap

import (
	"bytes"
	"regexp"
	"strconv"
)

// essentialEdges decides which edges count for dominators, exactly as
// DevTools does (HeapSnapshot.computeIsEssentialEdge): weak edges, self
// edges and shortcuts other than the root's do not retain; of the two edges
// that keep a WeakMap value alive (from the key and from the table) only the
// key's counts; and an edge from a node that is not page-owned to a
// page-owned one does not count.
//
// Page-owned nodes are those reachable over non-weak edges from the root's
// shortcut edges (and DOM tree roots in a browser). Every Node.js snapshot
// has `root -[shortcut]-> global`, so everything reachable from global is
// page-owned, and an edge into it from, say, a GC root or the compilation
// cache is ignored: the object is dominated as if only the program's own
// references held it. (DevTools' reason is a debugger that also holds page
// objects; for Node the effect is the same: internal holders do not steal
// the dominance of the program's objects.)
type essentialEdges struct {
	root      uint32
	kinds     []EdgeKind
	names     []uint32
	ids       []uint32
	pageOwned []uint64 // bitset over nodes
	weakMaps  *weakMapNames
}

// newEssentialEdges marks the page-owned nodes; stack is scratch of at least
// NodeCount() entries (each node is pushed at most once).
func newEssentialEdges(s *Snapshot, stack []uint32) *essentialEdges {
	return &essentialEdges{
		root: s.RootIndex, kinds: s.EdgeKinds, names: s.EdgeNames, ids: s.NodeIDs,
		pageOwned: markPageOwned(s, stack),
		weakMaps:  newWeakMapNames(s),
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
		to := s.EdgeTo[e]
		if s.EdgeKinds[e] == EdgeShortcut || (s.EdgeKinds[e] == EdgeElement && isDOMTreesRoot(s, to)) {
			push(to)
		}
	}
	for sp > 0 {
		sp--
		v := stack[sp]
		for e := s.FirstEdge[v]; e < s.FirstEdge[v+1]; e++ {
			if s.EdgeKinds[e] != EdgeWeak {
				push(s.EdgeTo[e])
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
	switch x.kinds[e] {
	case EdgeWeak:
		return false
	case EdgeInternal:
		if t, ok := x.weakMaps.table(x.names[e]); ok && t == x.ids[from] {
			return false // table -> value: the key's edge is the one that counts
		}
	}
	if from == to {
		return false
	}
	if from == x.root {
		return true // the root's shortcuts mark the user roots
	}
	return x.kinds[e] != EdgeShortcut && (!x.owned(to) || x.owned(from))
}

func (x *essentialEdges) owned(v uint32) bool { return x.pageOwned[v/64]&(1<<(v%64)) != 0 }

// weakMapNames recognizes V8's ephemeron edge names,
// "<n> / part of key (K @1) -> value (V @2) pair in WeakMap (table @3)":
// a WeakMap value has two such edges, from the key and from the table,
// whose names differ only in <n>. It knows, per string index, the table id
// and a pair number shared by both names.
type weakMapNames struct {
	bits    []uint64          // bitset over string indexes: an ephemeron edge name
	tableOf map[uint32]uint32 // string index -> table id
	pairOf  map[uint32]uint32 // string index -> pair number, 0..pairs-1
	pairs   int
}

// ephemeronName is DevTools' pattern (HeapSnapshot.tryParseWeakMapEdgeName),
// so that exactly the same names count.
var ephemeronName = regexp.MustCompile(`^\d+( / part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\))$`)

func newWeakMapNames(s *Snapshot) *weakMapNames {
	w := &weakMapNames{}
	pairByText := map[string]uint32{}
	t := &s.Strings
	for i := range t.Len() {
		str := t.Arena[t.Offsets[i]:t.Offsets[i+1]]
		if !bytes.Contains(str, []byte(" pair in WeakMap (table @")) {
			continue // cheap filter: the regexp runs on ephemeron names only
		}
		m := ephemeronName.FindSubmatch(str)
		if m == nil {
			continue
		}
		id, err := strconv.ParseUint(string(m[2]), 10, 32)
		if err != nil {
			continue
		}
		if w.bits == nil {
			w.bits = make([]uint64, (t.Len()+63)/64)
			w.tableOf, w.pairOf = map[uint32]uint32{}, map[uint32]uint32{}
		}
		pair, ok := pairByText[string(m[1])]
		if !ok {
			pair = uint32(len(pairByText))
			pairByText[string(m[1])] = pair
		}
		w.bits[i/64] |= 1 << (i % 64)
		w.tableOf[uint32(i)], w.pairOf[uint32(i)] = uint32(id), pair
	}
	w.pairs = len(pairByText)
	return w
}

// is reports whether string index n is an ephemeron edge name.
func (w *weakMapNames) is(n uint32) bool {
	return int(n/64) < len(w.bits) && w.bits[n/64]&(1<<(n%64)) != 0
}

// table returns the WeakMap table id named by ephemeron edge name n.
func (w *weakMapNames) table(n uint32) (uint32, bool) {
	if !w.is(n) {
		return 0, false
	}
	return w.tableOf[n], true
}
