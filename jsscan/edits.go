package jsscan

import (
	"fmt"
	"sort"
)

// ApplyEdits applies edits (byte offsets in their Range) to src. The edits
// may come in any order but must not overlap; two insertions at the same
// offset are applied in the given order.
func ApplyEdits(src []byte, edits []Edit) ([]byte, error) {
	es := append([]Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Range.Start.Offset < es[j].Range.Start.Offset })
	out := make([]byte, 0, len(src)+64)
	last := 0
	for _, e := range es {
		s, t := e.Range.Start.Offset, e.Range.End.Offset
		if s < last || t < s || t > len(src) {
			return nil, fmt.Errorf("jsscan: edit %d..%d overlaps another edit or lies outside the file (%d bytes)", s, t, len(src))
		}
		out = append(out, src[last:s]...)
		out = append(out, e.NewText...)
		last = t
	}
	return append(out, src[last:]...), nil
}
