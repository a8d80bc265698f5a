package heap

import "math"

// RetainedSizes holds each node's retained size in 32 bits. The few sizes
// of 4 GiB and more (the root, and on huge heaps the dominator-tree
// ancestors of what fills them) are kept exactly in Big, their Low entry
// holding bigRetained. Half the bytes of a []uint64 column, same values.
type RetainedSizes struct {
	Low []uint32          // per node, or bigRetained
	Big map[uint32]uint64 // node -> size, for sizes >= bigRetained
}

const bigRetained = math.MaxUint32

// At returns the retained size of node v.
func (r *RetainedSizes) At(v uint32) uint64 {
	if x := r.Low[v]; x != bigRetained {
		return uint64(x)
	}
	return r.Big[v]
}

// Len returns the number of nodes (0 when the graph has no dominators).
func (r *RetainedSizes) Len() int { return len(r.Low) }

// add adds b bytes to node v.
func (r *RetainedSizes) add(v uint32, b uint64) {
	s := r.At(v) + b
	if s < bigRetained {
		r.Low[v] = uint32(s)
		return
	}
	if r.Big == nil {
		r.Big = map[uint32]uint64{}
	}
	r.Low[v], r.Big[v] = bigRetained, s
}

// accumulate turns shallow sizes (Low on entry, in preorder slots) into
// retained sizes by adding each slot's size to its dominator's, children
// first: in DFS preorder every node comes after its dominator. idom holds
// the preorder dominators of slots 2..count; slots count+1..n are the
// unreached nodes, which retain themselves and count in the root's (slot
// 1) size.
func (r *RetainedSizes) accumulate(idom *uintColumn, count, n uint32) {
	var orphans uint64
	for w := count + 1; w <= n; w++ {
		orphans += r.At(w)
	}
	for w := count; w >= 2; w-- {
		r.add(idom.At(w), r.At(w))
	}
	r.add(1, orphans)
}

// bigToNodes re-keys the sizes of 4 GiB and more from slots to nodes
// (num maps node -> slot); nil stays nil.
func bigToNodes(big map[uint32]uint64, num *uintColumn) map[uint32]uint64 {
	if len(big) == 0 {
		return big
	}
	out := make(map[uint32]uint64, len(big))
	for v := range uint32(num.Len()) {
		if size, ok := big[num.At(v)]; ok {
			out[v] = size
		}
	}
	return out
}
