package heap

// semidominators computes each node's semidominator in reverse preorder,
// by path-compressed evaluation over its essential retainers. vertex holds
// the preorder -> node map on entry; each slot is overwritten with the
// semidominator once read. parent holds the DFS parents.
//
// It stays sequential: splitting off the retainers before each node in
// preorder (candidates as they are) into a parallel first pass was
// measured: 2.70 M of the 2.71 M nodes with several retainers in the
// gen-large.js snapshot also have one after them, so the sequential pass
// found every source again and the CPU time grew by half.
func (g *Graph) semidominators(ess *essentialEdges, num, parent, vertex, ancestor, label *uintColumn, count uint32) {
	var path []uint32
	for w := count; w >= 2; w-- {
		v, p := vertex.At(w), parent.At(w)
		s := p // the DFS parent is a predecessor
		// With one retainer, that is the DFS tree edge (or v hangs off the
		// root, and s is the root): most nodes need no source look-up.
		if g.retainedMoreThanOnce(v) {
			s = g.minSemi(ess, num, ancestor, label, &path, v, w, s)
		}
		vertex.set(w, s)
		label.set(w, s)
		ancestor.set(w, p)
	}
}

// minSemi folds into s the semidominator candidates of node v (preorder w)
// from its essential retainers.
func (g *Graph) minSemi(ess *essentialEdges, num, ancestor, label *uintColumn, path *[]uint32, v, w, s uint32) uint32 {
	r := g.retainerList(v)
	for e, ok := r.next(); ok; e, ok = r.next() {
		u := g.src.of(e)
		un := num.At(u)
		if un == 0 || !ess.retains(u, e, v) {
			continue
		}
		c := un
		if un > w {
			*path = compress(un, ancestor, label, *path)
			c = label.At(un)
		}
		s = min(s, c)
	}
	return s
}

// compress is Lengauer–Tarjan's path compression, iteratively: it points
// every node on the forest path from v at the path's root and folds the
// minimum label down the path. path is reusable scratch.
func compress(v uint32, ancestor, label *uintColumn, path []uint32) []uint32 {
	path = path[:0]
	for x := v; ancestor.At(ancestor.At(x)) != 0; x = ancestor.At(x) {
		path = append(path, x)
	}
	for i := len(path) - 1; i >= 0; i-- {
		x := path[i]
		a := ancestor.At(x)
		if la := label.At(a); la < label.At(x) {
			label.set(x, la)
		}
		ancestor.set(x, ancestor.At(a))
	}
	return path
}
