package heap

import (
	"bytes"
	"strconv"
)

// essentialEdges decides which edges count for dominators, following
// DevTools (heapsnapshot.md §5): weak edges, self edges and shortcuts other
// than the root's do not retain, and of the two edges that keep a WeakMap
// value alive (from the key and from the table) only the key's counts.
// DevTools' page-owned flags are not applied: they only matter for DOM
// pages (debugger/console references), which a Node heap does not have.
type essentialEdges struct {
	root        uint32
	kinds       []EdgeKind
	names       []uint32
	ids         []uint32
	weakMapName []uint64          // bitset over string indexes: a WeakMap ephemeron edge name
	tableOf     map[uint32]uint32 // such a string index -> id of its WeakMap table
}

func newEssentialEdges(s *Snapshot) *essentialEdges {
	x := &essentialEdges{root: s.RootIndex, kinds: s.EdgeKinds, names: s.EdgeNames, ids: s.NodeIDs}
	for i := range s.Strings.Len() {
		t := &s.Strings
		str := t.Arena[t.Offsets[i]:t.Offsets[i+1]]
		if id, ok := weakMapTableID(str); ok {
			if x.tableOf == nil {
				x.tableOf = map[uint32]uint32{}
				x.weakMapName = make([]uint64, (s.Strings.Len()+63)/64)
			}
			x.tableOf[uint32(i)] = id
			x.weakMapName[i/64] |= 1 << (i % 64)
		}
	}
	return x
}

// weakMapTableID parses the table id out of V8's ephemeron edge names,
// "<n> / part of key (K @1) -> value (V @2) pair in WeakMap (table @3)".
func weakMapTableID(name []byte) (uint32, bool) {
	const marker = " pair in WeakMap (table @"
	i := bytes.LastIndex(name, []byte(marker))
	if i < 0 || !bytes.HasSuffix(name, []byte(")")) || !bytes.Contains(name[:i], []byte(" / part of key (")) {
		return 0, false
	}
	id, err := strconv.ParseUint(string(name[i+len(marker):len(name)-1]), 10, 32)
	return uint32(id), err == nil
}

// retains reports whether edge e from node from to node to is essential.
func (x *essentialEdges) retains(from, e, to uint32) bool {
	switch x.kinds[e] {
	case EdgeWeak:
		return false
	case EdgeShortcut:
		return from == x.root && to != from
	case EdgeInternal:
		if n := x.names[e]; x.tableOf != nil && int(n/64) < len(x.weakMapName) && x.weakMapName[n/64]&(1<<(n%64)) != 0 {
			if x.tableOf[n] == x.ids[from] {
				return false // table -> value: the key's edge is the one that counts
			}
		}
	}
	return from != to
}
