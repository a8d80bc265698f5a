package heap

import "sync"

// buildRetainers fills the retainer CSR with a counting pass over EdgeTo,
// prefix sums, and a fill pass (as DevTools does), so no per-node slices are
// allocated. Both passes are split by target node range over two
// goroutines: each reads all edges sequentially but writes only its own
// targets, so there is no sharing and the random writes (the cost) halve.
func (g *Graph) buildRetainers() {
	n, m := g.NodeCount(), g.EdgeCount()
	first := makeColumn[uint32](n+1, n+1)
	edges := makeColumn[uint32](m, m)
	mid := uint32(n / 2)
	if m < minParallel {
		mid = uint32(n) // small graph: one goroutine
	}
	halves := [2][2]uint32{{0, mid}, {mid, uint32(n)}}
	parallel(halves, func(lo, hi uint32) {
		for _, to := range g.EdgeTo {
			if to >= lo && to < hi {
				first[to+1]++
			}
		}
	})
	for i := 1; i <= n; i++ {
		first[i] += first[i-1]
	}
	// Fill using first[to] as a cursor, then shift back by one slot.
	parallel(halves, func(lo, hi uint32) {
		for from := range uint32(n) {
			for e := g.FirstEdge[from]; e < g.FirstEdge[from+1]; e++ {
				if to := g.EdgeTo[e]; to >= lo && to < hi {
					k := first[to]
					edges[k] = e
					first[to] = k + 1
				}
			}
		}
	})
	copy(first[1:], first[:n])
	first[0] = 0
	g.FirstRetainer, g.RetainerEdge = first, edges
	g.src = newEdgeSources(g.FirstEdge)
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

// Retainers returns the edge indexes of the edges pointing at node n; the
// source of each is EdgeSource(e).
func (g *Graph) Retainers(n uint32) []uint32 {
	return g.RetainerEdge[g.FirstRetainer[n]:g.FirstRetainer[n+1]]
}

// EdgeSource returns the node edge e comes from.
func (g *Graph) EdgeSource(e uint32) uint32 { return g.src.of(e) }

// RetainerSource returns the source node of retainer slot r, the edge
// RetainerEdge[r].
func (g *Graph) RetainerSource(r uint32) uint32 { return g.src.of(g.RetainerEdge[r]) }
