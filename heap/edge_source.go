package heap

// edgeSources finds the source node of an edge without a per-edge column:
// the source of e is the node v with FirstEdge[v] <= e < FirstEdge[v+1].
// block[b] holds the source of edge b<<sourceShift, so a look-up is a
// binary search over the few nodes between block[b] and block[b+1] (runs
// of edgeless nodes such as strings and numbers stay logarithmic). It
// replaces a RetainerNode column of 4 bytes per edge with 4 bytes per
// 2^sourceShift edges.
type edgeSources struct {
	firstEdge []uint32
	block     []uint32
}

const sourceShift = 4

func newEdgeSources(firstEdge []uint32) edgeSources {
	n := len(firstEdge) - 1
	if n < 0 {
		return edgeSources{firstEdge: firstEdge}
	}
	m := firstEdge[n]
	block := makeColumn[uint32](int(m>>sourceShift+2), int(m>>sourceShift+2))
	b := uint32(0)
	for v := range uint32(n) {
		// Blocks whose first edge belongs to v.
		for ; uint64(b)<<sourceShift < uint64(firstEdge[v+1]); b++ {
			block[b] = v
		}
	}
	for ; int(b) < len(block); b++ {
		block[b] = uint32(max(n-1, 0))
	}
	return edgeSources{firstEdge: firstEdge, block: block}
}

// of returns the source node of edge e (e < EdgeCount()).
func (x *edgeSources) of(e uint32) uint32 {
	b := e >> sourceShift
	lo, hi := x.block[b], x.block[b+1] // the source is in [lo, hi]
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if x.firstEdge[mid] <= e {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}
