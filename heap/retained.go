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

// accumulate turns shallow sizes (Low on entry) into retained sizes by
// adding each node's size to its dominator's (idom, by node), children
// first: in DFS preorder every node comes after its dominator. vertex
// maps the preorder slots 1..count to the reached nodes and the slots
// after them to the unreached ones, which are attached to the root.
func (r *RetainedSizes) accumulate(vertex, idom *uintColumn, count uint32) {
	if count == 0 {
		return
	}
	var orphans uint64
	for w := count + 1; w < vertex.N; w++ {
		orphans += r.At(vertex.At(w))
	}
	for w := count; w >= 2; w-- {
		v := vertex.At(w)
		r.add(idom.At(v), r.At(v))
	}
	r.add(vertex.At(1), orphans)
}
