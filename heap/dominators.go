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
// milliseconds. For the loader's leftovers, which nothing reuses.
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
// retention chains in leaking heaps are 10^4–10^6 deep.
//
// ess says which edges count (the page-owned nodes marked). ret.Low holds
// the shallow sizes on entry and the retained sizes on return. The
// returned column is dead scratch of NodeCount() entries.
//
// As in DevTools, nodes with no essential retainer are treated as children
// of the root (so whatever only they keep alive still gets a dominator), and
// nodes still unvisited after that (unreachable cycles) are attached to the
// root individually.
func (g *Graph) computeDominators(ret *RetainedSizes, ess *essentialEdges) (scratch []uint32) {
	n := g.NodeCount()
	root := g.RootIndex

	// Preorder numbers start at 1; 0 means "not visited" / "no ancestor".
	// Five node-sized columns, each reused as the steps go; with ret.Low
	// they set the peak RSS of the whole build.
	num := makeColumn[uint32](n, n)          // node -> preorder number
	idom := makeColumn[uint32](n+1, n+1)     // preorder: DFS parent, then immediate dominator
	semi := makeColumn[uint32](n+1, n+1)     // preorder: the node (vertex) until its semidominator replaces it
	ancestor := makeColumn[uint32](n+1, n+1) // preorder: DFS stack, then link forest, then interval ends
	label := makeColumn[uint32](n+1, n+1)    // DFS edge cursor, min semi on the compressed path, then interval starts

	count := g.dfs(ess, num, semi, idom, label, ancestor)
	g.clock.done("dominators: dfs")
	g.semidominators(ess, num, idom, semi, ancestor, label, count)
	g.clock.done("dominators: semi")
	// Immediate dominators, in preorder: walk up from the parent until at
	// or above the semidominator (the NCA step of Semi-NCA).
	for w := uint32(2); w <= count; w++ {
		d := idom[w]
		for d > semi[w] {
			d = idom[d]
		}
		idom[w] = d
	}
	g.clock.done("dominators: idom")
	vertex := semi
	for v, w := range num {
		vertex[w] = uint32(v) // vertex[0] is garbage, never read
	}
	// In preorder space a node's dominator is usually near it, so these
	// passes read memory almost in order.
	domIntervals(idom, ancestor, label, count)
	ret.accumulate(vertex, idom, count)
	g.clock.done("retained sizes")
	for w := uint32(2); w <= count; w++ {
		idom[w] = vertex[idom[w]] // dominators as node ordinals
	}
	// To node space: each column is gathered into the one the previous
	// gather freed, so no sixth column is needed.
	pre := gather(vertex, label, num)
	end := gather(label, ancestor, num)
	dom := gather(ancestor, idom, num)
	orphan := count
	for v, w := range num {
		if w == 0 { // not reached: a one-node interval after the rest, under the root
			pre[v], end[v], dom[v] = orphan, orphan+1, root
			orphan++
		}
	}
	end[root], dom[root] = orphan, root // the root's interval covers the orphans too
	g.IDom, g.dom = dom, domIndex{pre: pre, end: end}
	g.clock.done("dominator intervals")
	return num // dead, and already resident: the distances' queue
}

// gather sets dst[v] = src[num[v]] for every node v and returns dst[:n].
func gather(dst, src, num []uint32) []uint32 {
	for v, w := range num {
		dst[v] = src[w]
	}
	return dst[:len(num)]
}

// dfs numbers the nodes in preorder over essential edges, first from the
// root, then from each node without essential retainers (as if the root
// pointed at it). It records DFS parents in parent and returns the count.
// cursor and stack are scratch indexed by preorder number.
func (g *Graph) dfs(ess *essentialEdges, num, vertex, parent, cursor, stack []uint32) uint32 {
	next := uint32(1)
	sp := 0
	visit := func(v, p uint32) {
		num[v], vertex[next], parent[next], cursor[next] = next, v, p, g.FirstEdge[v]
		stack[sp] = next
		sp++
		next++
	}
	run := func() {
		for sp > 0 {
			w := stack[sp-1]
			v := vertex[w]
			e, end := cursor[w], g.FirstEdge[v+1]
			for ; e < end; e++ {
				to := g.EdgeTo(e)
				if num[to] == 0 && ess.retains(v, e, to) {
					break
				}
			}
			if e == end {
				sp--
				continue
			}
			cursor[w] = e + 1
			visit(g.EdgeTo(e), w)
		}
	}
	root := g.RootIndex
	visit(root, 0)
	run()
	for v := range uint32(len(num)) {
		if num[v] == 0 && !g.hasEssentialRetainer(ess, v) {
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

// domIntervals numbers the dominator tree in preorder so that "a dominates
// b" is an interval test (domIndex). It works in DFS-preorder space, where
// every node comes after its immediate dominator, so no children lists are
// needed: subtree sizes by one reverse sweep (in end), then each child
// takes the next free slot of its dominator's interval (pre). end doubles
// as each node's cursor, which ends one past its interval.
func domIntervals(idom, end, pre []uint32, count uint32) {
	if count == 0 {
		return
	}
	for w := uint32(1); w <= count; w++ {
		end[w] = 1
	}
	for w := count; w >= 2; w-- {
		end[idom[w]] += end[w]
	}
	pre[1], end[1] = 0, 1
	for w := uint32(2); w <= count; w++ {
		d := idom[w]
		pre[w] = end[d]  // the next free slot of the dominator's interval
		end[d] += end[w] // end[w] is still w's subtree size
		end[w] = pre[w] + 1
	}
}
