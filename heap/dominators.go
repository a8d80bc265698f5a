package heap

import "runtime/debug"

// bigGraph is the node count from which NewGraph trades a forced GC for a
// lower peak memory.
const bigGraph = 1 << 20

// release returns freed scratch columns to the OS on big graphs: freed
// pages still count as RSS until scavenged, and a GC over pointer-free
// columns costs milliseconds.
func (g *Graph) release(n int) {
	if n >= bigGraph {
		debug.FreeOSMemory()
		g.clock.done("free memory")
	}
}

// computeDominators builds the dominator tree over essential edges with the
// Semi-NCA variant of Lengauer–Tarjan (semidominators by path-compressed
// evaluation, then immediate dominators as nearest common ancestors), which
// needs no buckets and so fewer scratch arrays. Everything is iterative:
// retention chains in leaking heaps are 10^4–10^6 deep.
//
// As in DevTools, nodes with no essential retainer are treated as children
// of the root (so whatever only they keep alive still gets a dominator), and
// nodes still unvisited after that (unreachable cycles) are attached to the
// root individually.
func (g *Graph) computeDominators() {
	n := g.NodeCount()
	root := g.RootIndex

	// Preorder numbers start at 1; 0 means "not visited" / "no ancestor".
	// Five node-sized columns, each reused as the steps go (the peak RSS
	// of the whole build is set here or in the retained sizes below):
	num := makeColumn[uint32](n, n)          // node -> preorder number
	idom := makeColumn[uint32](n+1, n+1)     // preorder: DFS parent, then immediate dominator
	semi := makeColumn[uint32](n+1, n+1)     // preorder: the node (vertex) until its semidominator replaces it
	ancestor := makeColumn[uint32](n+1, n+1) // preorder: DFS stack, then link forest
	label := makeColumn[uint32](n+1, n+1)    // page-owned stack, DFS edge cursor, then min semi on the compressed path

	ess := newEssentialEdges(g.Snapshot, g.special, label)
	g.clock.done("page-owned")
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
	// The dominator-tree intervals are built in the scratch arrays, ancestor
	// and label ending up as their pre and end columns, so the detectors
	// need no children lists of their own; semi is their scratch, then holds
	// the preorder -> node map again.
	g.dom = domIntervals(num, idom, semi, label, ancestor, count, root)
	vertex := semi
	for v, w := range num {
		vertex[w] = uint32(v) // vertex[0] is overwritten below
	}
	semi, label, ancestor = nil, nil, nil
	g.clock.done("dominator intervals")

	// Retained sizes, from DevTools' shallow sizes: children come after
	// their dominator in preorder.
	ret := makeColumn[uint64](n, n)
	g.shallowSizes(ret)
	g.clock.done("shallow sizes")
	var orphans uint64
	for v := range n {
		if num[v] == 0 && uint32(v) != root {
			orphans += ret[v]
		}
	}
	for w := count; w >= 2; w-- {
		ret[vertex[idom[w]]] += ret[vertex[w]]
	}
	ret[root] += orphans
	// IDom in node space, overwriting num in place (each slot is read
	// only for its own node).
	vertex[0] = root
	for v := range num {
		num[v] = vertex[idom[num[v]]]
	}
	num[root] = root
	g.IDom, g.Retained = num, ret
	g.clock.done("retained sizes")
	g.release(n) // vertex and idom: make room for Distance and its queue
}

// semidominators computes each node's semidominator in reverse preorder,
// by path-compressed evaluation over its essential retainers. vertex holds
// the preorder -> node map on entry; each slot is overwritten with the
// semidominator once read. parent holds the DFS parents.
func (g *Graph) semidominators(ess *essentialEdges, num, parent, vertex, ancestor, label []uint32, count uint32) {
	clear(ancestor)
	var path []uint32
	for w := count; w >= 2; w-- {
		v := vertex[w]
		s := parent[w] // the DFS parent is a predecessor
		// With one retainer, that is the DFS tree edge (or v hangs off the
		// root, and s is the root): most nodes need no source look-up.
		if g.FirstRetainer[v+1]-g.FirstRetainer[v] > 1 {
			s = g.minSemi(ess, num, ancestor, label, &path, v, w, s)
		}
		vertex[w], label[w], ancestor[w] = s, s, parent[w]
	}
}

// minSemi folds into s the semidominator candidates of node v (preorder w)
// from its essential retainers.
func (g *Graph) minSemi(ess *essentialEdges, num, ancestor, label []uint32, path *[]uint32, v, w, s uint32) uint32 {
	for k := g.FirstRetainer[v]; k < g.FirstRetainer[v+1]; k++ {
		e := g.RetainerEdge[k]
		u := g.src.of(e)
		un := num[u]
		if un == 0 || !ess.retains(u, e, v) {
			continue
		}
		c := un
		if un > w {
			*path = compress(un, ancestor, label, *path)
			c = label[un]
		}
		s = min(s, c)
	}
	return s
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
				to := g.EdgeTo[e]
				if num[to] == 0 && ess.retains(v, e, to) {
					break
				}
			}
			if e == end {
				sp--
				continue
			}
			cursor[w] = e + 1
			visit(g.EdgeTo[e], w)
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
	for k := g.FirstRetainer[v]; k < g.FirstRetainer[v+1]; k++ {
		if ess.retains(g.RetainerSource(k), g.RetainerEdge[k], v) {
			return true
		}
	}
	return false
}

// compress is Lengauer–Tarjan's path compression, iteratively: it points
// every node on the forest path from v at the path's root and folds the
// minimum label down the path. path is reusable scratch.
func compress(v uint32, ancestor, label, path []uint32) []uint32 {
	path = path[:0]
	for x := v; ancestor[ancestor[x]] != 0; x = ancestor[x] {
		path = append(path, x)
	}
	for i := len(path) - 1; i >= 0; i-- {
		x := path[i]
		a := ancestor[x]
		if label[a] < label[x] {
			label[x] = label[a]
		}
		ancestor[x] = ancestor[a]
	}
	return path
}

// domIntervals numbers the dominator tree in preorder so that "a dominates
// b" is an interval test (domIndex). It works in DFS-preorder space, where
// every node comes after its immediate dominator, so no children lists are
// needed: subtree sizes by one reverse sweep, then each child takes the next
// free slot of its dominator's interval. size, dpre and cursor are scratch
// indexed by preorder number; cursor and dpre are then overwritten with the
// result in node space. Nodes the DFS never reached (num 0: unreachable
// cycles, attached to the root) get one-node intervals after the rest, as
// if they were the root's last children.
func domIntervals(num, idom, size, dpre, cursor []uint32, count, root uint32) domIndex {
	for w := uint32(1); w <= count; w++ {
		size[w] = 1
	}
	for w := count; w >= 2; w-- {
		size[idom[w]] += size[w]
	}
	dpre[1], cursor[1] = 0, 1
	for w := uint32(2); w <= count; w++ {
		d := idom[w]
		dpre[w] = cursor[d]
		cursor[d] += size[w]
		cursor[w] = dpre[w] + 1
	}
	// The results, in node space, overwrite cursor and then dpre: pre is
	// filled from dpre, then ends from pre and size.
	n := len(num)
	pre, ends := cursor[:n], dpre[:n]
	orphan := count
	for v, w := range num {
		if w == 0 {
			pre[v] = orphan
			orphan++
			continue
		}
		pre[v] = dpre[w]
	}
	for v, w := range num {
		if w == 0 {
			ends[v] = pre[v] + 1
			continue
		}
		ends[v] = pre[v] + size[w]
	}
	ends[root] = orphan // the root's interval covers the orphans too
	return domIndex{pre: pre, end: ends}
}
