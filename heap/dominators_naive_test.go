package heap

// naiveDominators computes immediate dominators with the iterative
// algorithm of Cooper, Harvey and Kennedy ("A Simple, Fast Dominance
// Algorithm") over the same flow graph NewGraph uses: essential edges plus
// an edge from the root to every node without an essential retainer; nodes
// unreachable even so get the root. Test-only reference implementation.
func naiveDominators(g *Graph) []uint32 {
	n := g.NodeCount()
	root := g.RootIndex
	ess := newEssentialEdges(g.Snapshot, g.special, make([]uint32, n))
	weakOnly := make([]bool, n)
	for v := range uint32(n) {
		weakOnly[v] = v != root && !g.hasEssentialRetainer(ess, v)
	}
	succ := func(v uint32, yield func(uint32)) {
		for e := g.FirstEdge[v]; e < g.FirstEdge[v+1]; e++ {
			if ess.retains(v, e, g.EdgeTo(e)) {
				yield(g.EdgeTo(e))
			}
		}
		if v == root {
			for u := range uint32(n) {
				if weakOnly[u] {
					yield(u)
				}
			}
		}
	}
	// Postorder by an explicit-stack DFS.
	const none = ^uint32(0)
	post := make([]uint32, n)
	for i := range post {
		post[i] = none
	}
	var order []uint32 // nodes in postorder
	visited := make([]bool, n)
	type item struct {
		v    uint32
		kids []uint32
	}
	stack := []item{{v: root}}
	visited[root] = true
	succ(root, func(u uint32) { stack[0].kids = append(stack[0].kids, u) })
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if len(top.kids) == 0 {
			post[top.v] = uint32(len(order))
			order = append(order, top.v)
			stack = stack[:len(stack)-1]
			continue
		}
		u := top.kids[0]
		top.kids = top.kids[1:]
		if visited[u] {
			continue
		}
		visited[u] = true
		it := item{v: u}
		succ(u, func(x uint32) { it.kids = append(it.kids, x) })
		stack = append(stack, it)
	}
	idom := make([]uint32, n)
	for i := range idom {
		idom[i] = none
	}
	idom[root] = root
	intersect := func(a, b uint32) uint32 {
		for a != b {
			for post[a] < post[b] {
				a = idom[a]
			}
			for post[b] < post[a] {
				b = idom[b]
			}
		}
		return a
	}
	for changed := true; changed; {
		changed = false
		for i := len(order) - 1; i >= 0; i-- { // reverse postorder
			v := order[i]
			if v == root {
				continue
			}
			d := none
			consider := func(p uint32) {
				if idom[p] == none {
					return
				}
				if d == none {
					d = p
				} else {
					d = intersect(p, d)
				}
			}
			if weakOnly[v] {
				consider(root)
			}
			for e, u := range g.RetainersOf(v) {
				if post[u] != none && ess.retains(u, e, v) {
					consider(u)
				}
			}
			if d != idom[v] {
				idom[v] = d
				changed = true
			}
		}
	}
	for v := range idom {
		if idom[v] == none {
			idom[v] = root
		}
	}
	return idom
}
