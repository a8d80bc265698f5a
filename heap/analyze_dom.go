package heap

import (
	"slices"
)

// domIndex numbers the dominator tree in DFS pre-order so that "a
// dominates b" is an interval test: pre[a] <= pre[b] < end[a].
type domIndex struct {
	pre, end uintColumn // bit-packed like the dominators' columns
}

// domTree returns the dominator-tree intervals NewGraph computed.
func (p *Pass) domTree() *domIndex { return &p.dom }

// hasDominators reports whether the graph carries a dominator tree; a
// caller-built Graph without one degrades retained sizes to self sizes.
func (p *Pass) hasDominators() bool {
	n := p.NodeCount()
	return p.IDom.Len() == n && p.Retained.Len() == n && p.dom.pre.Len() == n
}

// dominates reports whether a dominates b (a node dominates itself).
func (d *domIndex) dominates(a, b uint32) bool {
	pb := d.pre.At(b)
	return d.pre.At(a) <= pb && pb < d.end.At(a)
}

// topLevel returns the members of a group not dominated by another member,
// in dominator-tree order. Summing their retained sizes counts every byte
// once (DevTools' "maxRet" of a class).
func (p *Pass) topLevel(members []uint32) []uint32 {
	if !p.hasDominators() {
		return members
	}
	d := p.domTree()
	// Sort by dominator-tree position as plain integers (position, node):
	// a comparison function reading the packed column was most of the
	// closure detector's time on groups of a million members.
	// The keys are scratch, reused across calls: fresh memory for every
	// big group faulted in page by page.
	keys := slices.Grow(p.sortKeys[:0], len(members))[:len(members)]
	p.sortKeys = keys
	for i, m := range members {
		keys[i] = uint64(d.pre.At(m))<<32 | uint64(m)
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	out := make([]uint32, 0, len(keys))
	var end uint32
	for _, k := range keys {
		if pre := uint32(k >> 32); len(out) > 0 && pre < end {
			continue // inside the previous top-level member's subtree
		}
		m := uint32(k)
		out = append(out, m)
		end = d.end.At(m)
	}
	return out
}

// retainedOf sums the retained sizes of a group without double counting.
func (p *Pass) retainedOf(members []uint32) uint64 {
	return p.retainedOfTop(p.topLevel(members))
}

// retainedOfTop sums the retained sizes of a group's top-level members
// (topLevel's result).
func (p *Pass) retainedOfTop(top []uint32) uint64 {
	if !p.hasDominators() {
		return p.selfOf(top) // topLevel kept every member
	}
	var sum uint64
	for _, m := range top {
		sum += p.Retained.At(m)
	}
	return sum
}

// groupSuspect is what every suspect about a group of objects starts
// with: its site, count, sizes and the path to its representative, the
// first member no other member dominates (its path names what holds the
// group), which it also returns.
func (p *Pass) groupSuspect(site Site, members []uint32, retained uint64) (Suspect, uint32) {
	rep := p.firstInDomTree(members)
	return Suspect{
		Site:          site,
		Count:         len(members),
		SelfBytes:     p.selfOf(members),
		RetainedBytes: retained,
		Path:          p.Path(rep),
		Growth:        p.watermarkGrowth(members),
	}, rep
}

// firstInDomTree returns the member that comes first in the dominator
// tree: topLevel's first, found without sorting (the first member when
// there are no dominators).
func (p *Pass) firstInDomTree(members []uint32) uint32 {
	rep := members[0]
	if !p.hasDominators() {
		return rep
	}
	d := p.domTree()
	best := d.pre.At(rep)
	for _, m := range members[1:] {
		if pre := d.pre.At(m); pre < best {
			rep, best = m, pre
		}
	}
	return rep
}

// selfOf sums the self sizes of a group, as DevTools shows them (Shallow,
// with single-owner arrays and backing stores folded into their owner)
// when the graph has them, else V8's own sizes.
func (p *Pass) selfOf(members []uint32) uint64 {
	var sum uint64
	for _, m := range members {
		sum += uint64(p.ShallowSize(m))
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
		v = p.IDom.At(v)
	}
	return p.RootIndex
}
