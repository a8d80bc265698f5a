package heap

import (
	"fmt"
	"iter"
	"math"
	"math/bits"
	"sync"
)

// The retainer index lists, per node, the edges pointing at it, in
// ascending edge order, as varints: the first edge index as is, each next
// one as its gap to the previous one (minus one). Lists are built by
// counting sort, as DevTools does, in two passes over the edges' targets: one sums each
// list's byte length, one writes the bytes. Most retainers of shared nodes
// (maps, strings, prototypes) come from nearby edges, so a list entry takes
// 1.2–1.9 bytes instead of the 4 of a plain edge-index column (measured on
// a node-written 909 MB snapshot and a gensnap one): the index was a fifth
// of the peak memory.
//
// Both passes are split by target node range over two goroutines: each
// reads all edges sequentially but writes only its own targets' state and
// bytes, so there is no sharing and the random writes (the cost) halve.
func (g *Graph) buildRetainers() {
	n := g.NodeCount()
	off := makeColumn[uint32](n+1, packRoom(n+1)) // list lengths, then write cursors, then offsets (packed in place)
	// last[t] is one past the previous retainer edge of t seen, 0 for none:
	// the base the next entry's gap is taken from.
	last := makeColumn[uint32](n, n)
	halves := g.targetHalves()
	parallel(halves, func(lo, hi uint32) {
		for e, x := range g.Edges {
			if to := x >> edgeKindBits; to >= lo && to < hi {
				off[to+1] += varintLen(uint32(e) - last[to])
				last[to] = uint32(e) + 1
			}
		}
	})
	var total uint64
	for i := 1; i <= n; i++ {
		total += uint64(off[i])
		if total > math.MaxUint32 {
			panic(fmt.Sprintf("heap: retainer index of %d edges exceeds 4 GiB", g.EdgeCount()))
		}
		off[i] = uint32(total)
	}
	data := makeColumn[byte](int(total), int(total))
	clear(last)
	parallel(halves, func(lo, hi uint32) {
		for e, x := range g.Edges {
			if to := x >> edgeKindBits; to >= lo && to < hi {
				off[to] = putVarint(data, off[to], uint32(e)-last[to])
				last[to] = uint32(e) + 1
			}
		}
	})
	// Each cursor ended where the next list starts: shift back by one slot.
	copy(off[1:], off[:n])
	off[0] = 0
	g.RetainerOffset, g.RetainerData = packUintsInPlace(off, uint32(total)), data
	g.src = newEdgeSources(g.FirstEdge)
}

// targetHalves splits the node range in two for the retainer passes (one
// range for small graphs).
func (g *Graph) targetHalves() [2][2]uint32 {
	n := uint32(g.NodeCount())
	mid := n / 2
	if g.EdgeCount() < minParallel {
		mid = n // small graph: one goroutine
	}
	return [2][2]uint32{{0, mid}, {mid, n}}
}

// minParallel is the edge count from which graph steps split their work
// over two goroutines; a variable so that tests can force the split on
// small graphs.
var minParallel = 1 << 16

// parallel runs f on each non-empty range concurrently and waits.
func parallel(ranges [2][2]uint32, f func(lo, hi uint32)) {
	var wg sync.WaitGroup
	for _, r := range ranges {
		if r[0] < r[1] {
			wg.Go(func() { f(r[0], r[1]) })
		}
	}
	wg.Wait()
}

// varintLen is the byte length of x as a varint.
func varintLen(x uint32) uint32 { return uint32(bits.Len32(x|1)+6) / 7 }

// putVarint writes x at data[i:] and returns the index after it.
func putVarint(data []byte, i, x uint32) uint32 {
	for x >= 0x80 {
		data[i] = byte(x) | 0x80
		x >>= 7
		i++
	}
	data[i] = byte(x)
	return i + 1
}

// getVarint reads the varint at data[i:] and returns it and the index
// after it.
func getVarint(data []byte, i uint32) (uint32, uint32) {
	var x uint32
	for s := uint(0); ; s += 7 {
		c := data[i]
		i++
		if c < 0x80 {
			return x | uint32(c)<<s, i
		}
		x |= uint32(c&0x7f) << s
	}
}

// retainerList reads one node's retainer list.
type retainerList struct {
	data     []byte
	pos, end uint32
	base     uint32 // one past the previous edge, 0 before the first
}

func (g *Graph) retainerList(v uint32) retainerList {
	return retainerList{data: g.RetainerData, pos: g.RetainerOffset.At(v), end: g.RetainerOffset.At(v + 1)}
}

// next returns the next retaining edge, or false at the end.
func (r *retainerList) next() (uint32, bool) {
	if r.pos >= r.end {
		return 0, false
	}
	x, pos := getVarint(r.data, r.pos)
	e := r.base + x
	r.pos, r.base = pos, e+1
	return e, true
}

// RetainersOf yields the edges pointing at node v, in ascending edge
// order, each with its source node.
func (g *Graph) RetainersOf(v uint32) iter.Seq2[uint32, uint32] {
	return func(yield func(e, from uint32) bool) {
		r := g.retainerList(v)
		for e, ok := r.next(); ok; e, ok = r.next() {
			if !yield(e, g.src.of(e)) {
				return
			}
		}
	}
}

// RetainerEdges returns the edges pointing at node v in a new slice.
func (g *Graph) RetainerEdges(v uint32) []uint32 {
	var out []uint32
	r := g.retainerList(v)
	for e, ok := r.next(); ok; e, ok = r.next() {
		out = append(out, e)
	}
	return out
}

// retainedMoreThanOnce reports whether node v has two or more retainers.
func (g *Graph) retainedMoreThanOnce(v uint32) bool {
	pos, end := g.RetainerOffset.At(v), g.RetainerOffset.At(v+1)
	if end-pos <= 1 {
		return false // a one-byte list holds one entry
	}
	_, after := getVarint(g.RetainerData, pos)
	return after < end
}

// EdgeSource returns the node edge e comes from.
func (g *Graph) EdgeSource(e uint32) uint32 { return g.src.of(e) }
