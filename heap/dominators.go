package heap

import (
	"runtime"
	"runtime/debug"
)

// bigGraph is the node count from which NewGraph trades a forced GC for a
// lower peak memory.
const bigGraph = 1 << 20

// release returns freed memory to the OS on big graphs: freed pages still
// count as RSS until scavenged, and a GC over pointer-free columns costs
// milliseconds. Used between steps whose columns differ in size, where
// the next step could not reuse the pages anyway.
func (g *Graph) release(n int) {
	if n >= bigGraph {
		debug.FreeOSMemory()
		g.clock.done("free memory")
	}
}

// recycle frees dead scratch columns on big graphs so that the next
// columns, of the same size, reuse their pages: already resident, they
// cost a clear instead of page faults (on the benchmark VM, faulting in
// fresh memory is what varies most), and the RSS does not grow.
func (g *Graph) recycle(n int) {
	if n >= bigGraph {
		runtime.GC()
		g.clock.done("recycle memory")
	}
}

// computeDominators builds the dominator tree over essential edges with the
// Semi-NCA variant of Lengauer–Tarjan (semidominators by path-compressed
// evaluation, then immediate dominators as nearest common ancestors), which
// needs no buckets and so fewer scratch arrays. Everything is iterative:
// retention chains in leaking heaps are 10^4–10^6 deep. It sets IDom, dom
// and Retained; ess says which edges count (the page-owned nodes marked).
//
// Its five columns set the peak memory of the whole build, so they are
// bit-packed (a preorder number or node ordinal needs log2(n) bits: 24 at
// 13 M nodes, 27 at 70 M) and each is reused as the steps go; the shallow
// sizes are computed only once the semidominators' columns are dead.
//
// As in DevTools, nodes with no essential retainer are treated as children
// of the root (so whatever only they keep alive still gets a dominator), and
// nodes still unvisited after that (unreachable cycles) are attached to the
// root individually.
func (g *Graph) computeDominators(ess *essentialEdges) {
	n := g.NodeCount()
	if n == 0 {
		return
	}
	// Preorder numbers start at 1; 0 means "not visited" / "no ancestor".
	top := uint32(n)                  // preorder numbers 1..n, node ordinals 0..n-1
	num := newUintColumn(n, top)      // node -> preorder number
	idom := newUintColumn(n+1, top)   // preorder: DFS parent, then immediate dominator, then dominator-tree preorder
	vertex := newUintColumn(n+1, top) // preorder: the node, then its semidominator, then the node again
	count := g.dfs(ess, &num, &vertex, &idom)
	g.clock.done("dominators: dfs")
	ancestor := newUintColumn(n+1, top) // preorder: link forest, then IDom in node space
	label := newUintColumn(n+1, top)    // preorder: min semi on the compressed path
	g.semidominators(ess, &num, &idom, &vertex, &ancestor, &label, count)
	g.clock.done("dominators: semi")
	// Immediate dominators, in preorder: walk up from the parent until at
	// or above the semidominator (the NCA step of Semi-NCA).
	semi := &vertex
	for w := uint32(2); w <= count; w++ {
		d, s := idom.At(w), semi.At(w)
		for d > s {
			d = idom.At(d)
		}
		idom.set(w, d)
	}
	g.clock.done("dominators: idom")
	for v := range uint32(n) {
		if w := num.At(v); w != 0 {
			vertex.set(w, v)
		}
	}
	g.IDom = g.nodeDominators(&num, &idom, &vertex, ancestor)
	// The unreached nodes take the slots after the reached ones: vertex
	// maps the slots 1..n onto the nodes one to one.
	slot := count
	for v := range uint32(n) {
		if num.At(v) == 0 {
			slot++
			vertex.set(slot, v)
		}
	}
	g.clock.done("dominators as nodes")
	end := label // dead: the intervals' ends, by slot
	domIntervals(&idom, &end, count, uint32(n))
	// To node space, each into a column the previous step freed: num into
	// the starts, the slots' starts into the ends.
	pre := scatter(num, &idom, &vertex)
	g.dom = domIndex{pre: pre, end: scatter(idom, &end, &vertex)}
	g.clock.done("dominator intervals")
	label, end = uintColumn{}, uintColumn{} // dead: their pages go to the retained sizes
	g.recycle(n)                            // (kept, not returned: the sizes need as many)
	g.Retained = g.retainedSizes(&vertex, count)
	g.clock.done("retained sizes")
}

// nodeDominators writes, into the dead column out, each node's immediate
// dominator as a node ordinal (the root for unreached nodes) and returns
// it as a column of NodeCount() values.
func (g *Graph) nodeDominators(num, idom, vertex *uintColumn, out uintColumn) uintColumn {
	root := g.RootIndex
	for v := range uint32(g.NodeCount()) {
		d := root
		if w := num.At(v); w >= 2 {
			d = vertex.At(idom.At(w))
		}
		out.set(v, d)
	}
	out.N = uint32(g.NodeCount())
	return out
}

// scatter moves src from slot space to node space, into dst: dst[vertex[w]]
// = src[w] for the slots 1..N, then returns dst as a column of N values.
func scatter(dst uintColumn, src, vertex *uintColumn) uintColumn {
	n := vertex.N - 1
	for w := uint32(1); w <= n; w++ {
		dst.set(vertex.At(w), src.At(w))
	}
	dst.N = n
	return dst
}

// retainedSizes computes the retained sizes from the shallow ones (see
// RetainedSizes.accumulate).
func (g *Graph) retainedSizes(vertex *uintColumn, count uint32) RetainedSizes {
	n := g.NodeCount()
	ret := newRetainedSizes(n)
	g.shallowSizes(func(v, size uint32) { ret.put(v, uint64(size)) })
	ret.accumulate(vertex, &g.IDom, count)
	return ret
}

// dfs numbers the nodes in preorder over essential edges, first from the
// root, then from each node without essential retainers (as if the root
// pointed at it). It records DFS parents in parent and returns the count.
// Its stack holds the path being explored, each entry with its edge
// cursor: as deep as the deepest retention chain, not a node column.
func (g *Graph) dfs(ess *essentialEdges, num, vertex, parent *uintColumn) uint32 {
	type frame struct{ v, w, e uint32 } // node, its preorder number, next edge
	next := uint32(1)
	stack := make([]frame, 0, 1024)
	visit := func(v, p uint32) {
		num.set(v, next)
		vertex.set(next, v)
		parent.set(next, p)
		stack = append(stack, frame{v, next, g.FirstEdge[v]})
		next++
	}
	run := func() {
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			v := f.v
			e, end := f.e, g.FirstEdge[v+1]
			for ; e < end; e++ {
				to := g.EdgeTo(e)
				if num.At(to) == 0 && ess.retains(v, e, to) {
					break
				}
			}
			if e == end {
				stack = stack[:len(stack)-1]
				continue
			}
			f.e = e + 1
			visit(g.EdgeTo(e), f.w)
		}
	}
	visit(g.RootIndex, 0)
	run()
	for v := range uint32(g.NodeCount()) {
		if num.At(v) == 0 && !g.hasEssentialRetainer(ess, v) {
			visit(v, 1)
			run()
		}
	}
	return next - 1
}

func (g *Graph) hasEssentialRetainer(ess *essentialEdges, v uint32) bool {
	for e, from := range g.RetainersOf(v) {
		if ess.retains(from, e, v) {
			return true
		}
	}
	return false
}

// domIntervals numbers the dominator tree in preorder so that "a
// dominates b" is an interval test (domIndex). It works in DFS-preorder
// space, where every node comes after its immediate dominator, so no
// children lists are needed: subtree sizes by one reverse sweep (in end),
// then each child takes the next free slot of its dominator's interval;
// end doubles as each node's cursor, which ends one past its interval.
// Each slot's dominator, read once, is overwritten with its interval's
// start. Slots count+1..n are the unreached nodes: one-node intervals
// after the rest, inside the root's.
func domIntervals(idom, end *uintColumn, count, n uint32) {
	for w := uint32(1); w <= count; w++ {
		end.set(w, 1)
	}
	for w := count; w >= 2; w-- {
		d := idom.At(w)
		end.set(d, end.At(d)+end.At(w))
	}
	idom.set(1, 0)
	end.set(1, 1)
	for w := uint32(2); w <= count; w++ {
		d := idom.At(w)
		p := end.At(d) // the next free slot of the dominator's interval
		idom.set(w, p)
		end.set(d, p+end.At(w)) // end[w] is still w's subtree size
		end.set(w, p+1)
	}
	for w := count + 1; w <= n; w++ {
		idom.set(w, w-1)
		end.set(w, w)
	}
	end.set(1, n)
}
