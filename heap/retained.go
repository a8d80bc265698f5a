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
// adding each node's size to its dominator's, children first: in DFS
// preorder every node comes after its dominator. vertex and idom are in
// preorder space. Nodes the DFS never reached are attached to the root.
func (r *RetainedSizes) accumulate(vertex, idom []uint32, count uint32) {
	if count == 0 {
		return
	}
	root := vertex[1]
	reached := make([]uint64, (len(r.Low)+63)/64)
	for w := uint32(1); w <= count; w++ {
		v := vertex[w]
		reached[v/64] |= 1 << (v % 64)
	}
	var orphans uint64
	for v, sz := range r.Low {
		if reached[v/64]&(1<<(v%64)) == 0 {
			orphans += uint64(sz)
		}
	}
	for w := count; w >= 2; w-- {
		r.add(vertex[idom[w]], r.At(vertex[w]))
	}
	r.add(root, orphans)
}
