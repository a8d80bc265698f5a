package heap

// RetainedSizes holds each node's retained size in 24 bits. The sizes of
// 16 MiB and more (the root, the collections and caches that fill a heap,
// their dominator-tree ancestors: a few per thousand nodes) are kept
// exactly in Big, their Low entry holding bigRetained. A byte per node
// less than a 32-bit column, 5 less than a []uint64, same values.
type RetainedSizes struct {
	Low uintColumn        // per node, or bigRetained
	Big map[uint32]uint64 // node -> size, for sizes >= bigRetained
}

const (
	retainedBits = 24
	bigRetained  = 1<<retainedBits - 1
)

// newRetainedSizes returns n zero sizes.
func newRetainedSizes(n int) RetainedSizes {
	return RetainedSizes{Low: newUintColumn(n, bigRetained)}
}

// At returns the retained size of node v.
func (r *RetainedSizes) At(v uint32) uint64 {
	if x := r.Low.At(v); x != bigRetained {
		return uint64(x)
	}
	return r.Big[v]
}

// Len returns the number of nodes (0 when the graph has no dominators).
func (r *RetainedSizes) Len() int { return r.Low.Len() }

// add adds b bytes to node v.
func (r *RetainedSizes) add(v uint32, b uint64) {
	r.put(v, r.At(v)+b)
}

// put sets node v's size to s.
func (r *RetainedSizes) put(v uint32, s uint64) {
	if s < bigRetained {
		r.Low.set(v, uint32(s))
		return
	}
	if r.Big == nil {
		r.Big = map[uint32]uint64{}
	}
	r.Low.set(v, bigRetained)
	r.Big[v] = s
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
