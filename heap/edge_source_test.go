package heap

import (
	"math/rand/v2"
	"testing"
)

// TestEdgeSources checks every edge's source against the definition
// (FirstEdge[v] <= e < FirstEdge[v+1]) on edge counts that exercise long
// runs of edgeless nodes, nodes with many edges, and edgeless nodes first
// and last.
func TestEdgeSources(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	shapes := map[string]func(v int) uint32{
		"mixed":      func(int) uint32 { return uint32(r.IntN(4)) },
		"sparse":     func(int) uint32 { return uint32(r.IntN(50) / 49) },
		"wide":       func(v int) uint32 { return uint32(v%97) * uint32(r.IntN(300)) },
		"edgelessly": func(v int) uint32 { return uint32(min(v%1000, 1)) * uint32(v%3) },
	}
	for name, edges := range shapes {
		n := 20000
		first := make([]uint32, n+1)
		for v := range n {
			first[v+1] = first[v] + edges(v)
		}
		x := newEdgeSources(first)
		for v := range uint32(n) {
			for e := first[v]; e < first[v+1]; e++ {
				if got := x.of(e); got != v {
					t.Fatalf("%s: source of edge %d = %d, want %d", name, e, got, v)
				}
			}
		}
	}
}

func TestEdgeSourcesEmpty(t *testing.T) {
	for _, first := range [][]uint32{{0}, {0, 0, 0}, {0, 1}} {
		x := newEdgeSources(first)
		if n := len(first) - 1; first[n] > 0 && x.of(0) != 0 {
			t.Errorf("%v: source of edge 0 = %d", first, x.of(0))
		}
	}
}
