package heap

import "slices"

// domIndex numbers the dominator tree in DFS pre-order so that "a
// dominates b" is an interval test: pre[a] <= pre[b] < end[a].
type domIndex struct {
	pre, end []uint32
}

// domTree returns the dominator-tree intervals NewGraph computed.
func (p *Pass) domTree() *domIndex { return &p.dom }

// hasDominators reports whether the graph carries a dominator tree; a
// caller-built Graph without one degrades retained sizes to self sizes.
func (p *Pass) hasDominators() bool {
	n := p.NodeCount()
	return len(p.IDom) == n && p.Retained.Len() == n && len(p.dom.pre) == n
}

// dominates reports whether a dominates b (a node dominates itself).
// Nodes unreachable in the dominator tree dominate nothing.
func (d *domIndex) dominates(a, b uint32) bool {
	return d.pre[a] != ^uint32(0) && d.pre[b] != ^uint32(0) && d.pre[a] <= d.pre[b] && d.pre[b] < d.end[a]
}

// topLevel returns the members of a group not dominated by another member,
// in dominator-tree order. Summing their retained sizes counts every byte
// once (DevTools' "maxRet" of a class).
func (p *Pass) topLevel(members []uint32) []uint32 {
	if !p.hasDominators() {
		return members
	}
	d := p.domTree()
	sorted := slices.Clone(members)
	slices.SortFunc(sorted, func(a, b uint32) int {
		switch {
		case d.pre[a] < d.pre[b]:
			return -1
		case d.pre[a] > d.pre[b]:
			return 1
		}
		return 0
	})
	sorted = slices.Compact(sorted)
	out := sorted[:0]
	var end uint32
	for _, m := range sorted {
		if d.pre[m] == ^uint32(0) {
			continue
		}
		if len(out) > 0 && d.pre[m] < end {
			continue // inside the previous top-level member's subtree
		}
		out = append(out, m)
		end = d.end[m]
	}
	return out
}

// retainedOf sums the retained sizes of a group without double counting.
func (p *Pass) retainedOf(members []uint32) uint64 {
	if !p.hasDominators() {
		return p.selfOf(members)
	}
	var sum uint64
	for _, m := range p.topLevel(members) {
		sum += p.Retained.At(m)
	}
	return sum
}

// groupSuspect is what every suspect about a group of objects starts
// with: its site, count, sizes and the path to its representative, the
// first member no other member dominates (its path names what holds the
// group), which it also returns.
func (p *Pass) groupSuspect(site Site, members []uint32, retained uint64) (Suspect, uint32) {
	rep := members[0]
	if top := p.topLevel(members); len(top) > 0 {
		rep = top[0]
	}
	return Suspect{
		Site:          site,
		Count:         len(members),
		SelfBytes:     p.selfOf(members),
		RetainedBytes: retained,
		Path:          p.Path(rep),
		Growth:        p.watermarkGrowth(members),
	}, rep
}

// selfOf sums the self sizes of a group, as DevTools shows them (Shallow,
// with single-owner arrays and backing stores folded into their owner)
// when the graph has them, else V8's own sizes.
func (p *Pass) selfOf(members []uint32) uint64 {
	sizes := p.Shallow
	if len(sizes) != p.NodeCount() {
		sizes = p.SelfSizes
	}
	var sum uint64
	for _, m := range members {
		sum += uint64(sizes[m])
	}
	return sum
}

// commonDominator returns the nearest node dominating both a and b.
func (p *Pass) commonDominator(a, b uint32) uint32 {
	if !p.hasDominators() {
		return p.RootIndex
	}
	d := p.domTree()
	v := a
	for steps := 0; steps < p.NodeCount() && v != p.RootIndex; steps++ {
		if d.dominates(v, b) {
			return v
		}
		v = p.IDom[v]
	}
	return p.RootIndex
}
