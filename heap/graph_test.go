package heap

import (
	"path/filepath"
	"slices"
	"testing"
)

// TestGraphTiny checks retainers, distances and dominators of
// testdata/tiny.heapsnapshot, worked out by hand:
//
//	root -element-> (GC roots) -element-> global
//	root -shortcut-> global -property-> Obj -internal-> fn -weak-> lone
//	global -weak-> fn
func TestGraphTiny(t *testing.T) {
	s, err := Load(bytesReader(readTiny(t)), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g := NewGraph(s)
	wantRet := [][]uint32{{}, {0}, {1, 2}, {3}, {4, 5}, {6}} // retaining edges per node
	for v, want := range wantRet {
		if got := g.RetainerEdges(uint32(v)); !slices.Equal(got, want) {
			t.Errorf("Retainers(%d) = %v, want %v", v, got, want)
		}
		for i, e := range g.RetainerEdges(uint32(v)) {
			if from := g.EdgeSource(e); e < g.FirstEdge[from] || e >= g.FirstEdge[from+1] {
				t.Errorf("retainer %d of %d: edge %d not from node %d", i, v, e, from)
			}
		}
	}
	if want := []int32{SystemDistance, SystemDistance + 1, 1, 2, 3, Unreachable}; !slices.Equal(g.Distance.values(), want) {
		t.Errorf("Distance = %v, want %v", g.Distance.values(), want)
	}
	// lone (5) has only a weak retainer: a child of the root.
	if want := []uint32{0, 0, 0, 2, 3, 0}; !slices.Equal(g.IDom.values(), want) {
		t.Errorf("IDom = %v, want %v", g.IDom.values(), want)
	}
	if want, got := []uint64{180, 0, 172, 132, 32, 8}, retainedColumn(g); !slices.Equal(got, want) {
		t.Errorf("Retained = %v, want %v", got, want)
	}
}

func TestGraphFixtures(t *testing.T) {
	dir, snaps := manifestSnapshots(t)
	for _, ms := range snaps {
		t.Run(filepath.Base(ms.File), func(t *testing.T) {
			s, err := Open(filepath.Join(dir, ms.File), LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			g := NewGraph(s)
			checkRetainers(t, g)
			checkDominatorInvariants(t, g)
			checkDomIntervals(t, g)
			// The quadratic cross-check runs on the plain snapshots of the
			// shallow heaps only: a .tracked one is the same program's heap
			// again, and on the recursion fixtures' chains of thousands of
			// frames it takes most of a minute. Every fixture's dominators
			// are also compared with DevTools' (TestDevToolsParity).
			if !ms.AllocationTracking && !deepChains[ms.Scenario] {
				checkNaiveDominators(t, g)
			}
			if d := g.Distance.At(s.RootIndex); d != SystemDistance {
				t.Errorf("root distance %d, want %d (the snapshot has a user global)", d, SystemDistance)
			}
			for e := s.FirstEdge[s.RootIndex]; e < s.FirstEdge[s.RootIndex+1]; e++ {
				if to := s.EdgeTo(e); s.EdgeKind(e) == EdgeShortcut && s.Name(to) == "global" && g.Distance.At(to) != 1 {
					t.Errorf("global distance %d, want 1", g.Distance.At(to))
				}
			}
		})
	}
}

// deepChains are the fixture scenarios whose heaps hold long recursion
// chains (see the manifest), too slow for naiveDominators.
var deepChains = map[string]bool{"c-async-recursion": true, "e-ts-awaiter": true}

func checkNaiveDominators(t *testing.T, g *Graph) {
	t.Helper()
	want := naiveDominators(g)
	for v := range want {
		if g.IDom.At(uint32(v)) != want[v] {
			t.Fatalf("node %d (%s @%d): IDom %d, naive %d", v, g.Name(uint32(v)), g.NodeIDs[v], g.IDom.At(uint32(v)), want[v])
		}
	}
}

func checkRetainers(t *testing.T, g *Graph) {
	t.Helper()
	n := g.NodeCount()
	if g.RetainerOffset.Len() != n+1 || int(g.RetainerOffset.At(uint32(n))) != len(g.RetainerData) {
		t.Fatalf("RetainerOffset: len %d, last %d, data %d bytes", g.RetainerOffset.Len(), g.RetainerOffset.At(uint32(g.RetainerOffset.Len()-1)), len(g.RetainerData))
	}
	seen := make([]bool, g.EdgeCount())
	count := 0
	for v := range uint32(n) {
		prev := -1
		for e, from := range g.RetainersOf(v) {
			if g.EdgeTo(e) != v || e < g.FirstEdge[from] || e >= g.FirstEdge[from+1] || seen[e] || int(e) <= prev {
				t.Fatalf("bad retainer entry: node %d edge %d from %d", v, e, from)
			}
			seen[e], prev = true, int(e)
			count++
		}
		if multi := len(g.RetainerEdges(v)) > 1; multi != g.retainedMoreThanOnce(v) {
			t.Fatalf("node %d: retainedMoreThanOnce %v, %d retainers", v, !multi, len(g.RetainerEdges(v)))
		}
	}
	if count != g.EdgeCount() {
		t.Fatalf("%d retainer entries, %d edges", count, g.EdgeCount())
	}
}

// checkDominatorInvariants: the root retains every byte, each node retains at
// least itself, and every IDom chain ends at the root.
func checkDominatorInvariants(t *testing.T, g *Graph) {
	t.Helper()
	var total uint64
	for _, sz := range g.SelfSizes {
		total += uint64(sz)
	}
	root := g.RootIndex
	if g.Retained.At(root) != total || g.IDom.At(root) != root {
		t.Errorf("root retains %d of %d bytes, IDom[root] = %d", g.Retained.At(root), total, g.IDom.At(root))
	}
	for v := range uint32(g.NodeCount()) {
		if g.Retained.At(v) < uint64(g.ShallowSize(v)) {
			t.Fatalf("node %d retains %d < shallow %d", v, g.Retained.At(v), g.ShallowSize(v))
		}
	}
	dominatorDepths(t, g)
}

// dominatorDepths returns each node's depth in the tree IDom describes (the
// root's is 0), memoized along each chain; it fails when a chain does not
// reach the root.
func dominatorDepths(t *testing.T, g *Graph) []int32 {
	t.Helper()
	root := g.RootIndex
	depth := make([]int32, g.NodeCount()) // 0 = unknown, except the root's
	var chain []uint32
	for v := range uint32(g.NodeCount()) {
		chain = chain[:0]
		x := v
		for x != root && depth[x] == 0 {
			chain = append(chain, x)
			if len(chain) > g.NodeCount() {
				t.Fatalf("IDom chain from %d does not reach the root", v)
			}
			x = g.IDom.At(x)
		}
		for i := len(chain) - 1; i >= 0; i-- {
			depth[chain[i]] = depth[g.IDom.At(chain[i])] + 1
		}
	}
	return depth
}

// checkDomIntervals: the intervals are a preorder numbering of the tree
// that IDom describes: distinct numbers, each node's interval nested in its
// dominator's, and as long as its subtree (sizes counted from IDom alone).
func checkDomIntervals(t *testing.T, g *Graph) {
	t.Helper()
	n := g.NodeCount()
	root := g.RootIndex
	pre, end := g.dom.pre.values(), g.dom.end.values()
	if len(pre) != n || len(end) != n {
		t.Fatalf("dom intervals: len %d/%d, want %d", len(pre), len(end), n)
	}
	size := make([]uint32, n) // subtree sizes from IDom, by decreasing depth
	depth := dominatorDepths(t, g)
	order := make([]uint32, 0, n)
	for v := range uint32(n) {
		order = append(order, v)
	}
	slices.SortFunc(order, func(a, b uint32) int { return int(depth[b]) - int(depth[a]) })
	for _, v := range order {
		size[v]++
		if v != root {
			size[g.IDom.At(v)] += size[v]
		}
	}
	taken := make([]bool, n)
	for v := range uint32(n) {
		if pre[v] >= uint32(n) || taken[pre[v]] {
			t.Fatalf("node %d: preorder number %d reused or out of range", v, pre[v])
		}
		taken[pre[v]] = true
		if end[v]-pre[v] != size[v] {
			t.Fatalf("node %d: interval [%d,%d) for a subtree of %d", v, pre[v], end[v], size[v])
		}
		if d := g.IDom.At(v); v != root && (pre[v] <= pre[d] || end[v] > end[d]) {
			t.Fatalf("node %d [%d,%d) not inside its dominator %d [%d,%d)", v, pre[v], end[v], d, pre[d], end[d])
		}
	}
}

// TestGraphTimeoutRetainsChain checks the dominator tree against the
// recursive-await ground truth (heapsnapshot.md §3): the innermost pending
// sleep Timeout dominates every suspended `task` activation, so it retains
// at least their self sizes. The control scenario (a loop instead of
// recursion) has no such Timeout.
func TestGraphTimeoutRetainsChain(t *testing.T) {
	dir, snaps := manifestSnapshots(t)
	checked := 0
	for _, ms := range snaps {
		leaky := ms.Scenario == "c-async-recursion"
		if !leaky && ms.Scenario != "g-control" {
			continue
		}
		t.Run(filepath.Base(ms.File), func(t *testing.T) {
			checked++
			s, err := Open(filepath.Join(dir, ms.File), LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			g := NewGraph(s)
			gens := asyncActivations(s)
			dominated := map[uint32]int{} // Timeout -> activations it dominates
			for _, v := range gens {
				for x := g.IDom.At(v); x != s.RootIndex; x = g.IDom.At(x) {
					if s.Name(x) == "Timeout" && s.NodeKinds[x] == NodeObject {
						dominated[x]++
					}
				}
			}
			if !leaky {
				limit := ms.group("few-generators").Measured.Count
				for x, c := range dominated {
					if c > limit {
						t.Errorf("control: Timeout @%d dominates %d activations, ground truth has %d generators", s.NodeIDs[x], c, limit)
					}
				}
				return
			}
			act := ms.group("suspended-activation")
			if len(gens) != act.Measured.Count {
				t.Fatalf("%d task activations, manifest says %d", len(gens), act.Measured.Count)
			}
			var heads []uint32
			for x, c := range dominated {
				if c == len(gens) {
					heads = append(heads, x)
				}
			}
			if len(heads) != 1 {
				t.Fatalf("%d Timeouts dominate all %d activations, want 1 (dominated: %v)", len(heads), len(gens), dominated)
			}
			if r := g.Retained.At(heads[0]); r < uint64(act.Measured.SelfSizeTotal) || r >= g.Retained.At(s.RootIndex) {
				t.Errorf("chain Timeout retains %d B, want >= %d (activations' self sizes) and < heap %d", r, act.Measured.SelfSizeTotal, g.Retained.At(s.RootIndex))
			}
		})
	}
	if checked < 2 {
		t.Fatalf("only %d c-async-recursion/g-control snapshots in the manifest", checked)
	}
}

// asyncActivations finds suspended `task` activations: objects named
// Generator with a `function` edge to the closure `task` (manifest match).
func asyncActivations(s *Snapshot) []uint32 {
	var out []uint32
	for v := range uint32(s.NodeCount()) {
		if s.NodeKinds[v] != NodeObject || s.Name(v) != "Generator" {
			continue
		}
		for e := s.FirstEdge[v]; e < s.FirstEdge[v+1]; e++ {
			if to := s.EdgeTo(e); s.EdgeName(e) == "function" && s.NodeKinds[to] == NodeClosure && s.Name(to) == "task" {
				out = append(out, v)
				break
			}
		}
	}
	return out
}

// retainedColumn lists every node's retained size.
func retainedColumn(g *Graph) []uint64 {
	out := make([]uint64, g.Retained.Len())
	for v := range out {
		out[v] = g.Retained.At(uint32(v))
	}
	return out
}

// TestGraphSplitWork builds the graph of two fixtures with the two-way
// split of the retainers and the semidominator pipeline forced on (with
// stream buffers of a few values, so that slots straddle them), and checks
// it against the unsplit build and the reference dominators.
func TestGraphSplitWork(t *testing.T) {
	dir, snaps := manifestSnapshots(t)
	for _, ms := range snaps[:min(len(snaps), 2)] {
		t.Run(filepath.Base(ms.File), func(t *testing.T) {
			s, err := Open(filepath.Join(dir, ms.File), LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer func(old, buf, workers int) {
				minParallel, semiBufLen, loadWorkers = old, buf, workers
			}(minParallel, semiBufLen, loadWorkers)
			minParallel = 1 << 30
			whole := NewGraph(s)
			minParallel, semiBufLen, loadWorkers = 0, 3, 2 // two producers even on one core
			split := NewGraph(s)
			if !slices.Equal(whole.RetainerData, split.RetainerData) || !slices.Equal(whole.RetainerOffset.values(), split.RetainerOffset.values()) || !slices.Equal(whole.IDom.values(), split.IDom.values()) ||
				!slices.Equal(retainedColumn(whole), retainedColumn(split)) || !slices.Equal(whole.Distance.values(), split.Distance.values()) {
				t.Error("the split build differs from the whole one")
			}
			checkRetainers(t, split)
			checkNaiveDominators(t, split)
		})
	}
}
