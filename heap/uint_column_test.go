package heap

import (
	"math"
	"testing"
)

func TestUintColumn(t *testing.T) {
	for _, tc := range []struct {
		vals  []uint32
		width uint32
	}{
		{nil, 3},
		{[]uint32{0}, 3},
		{[]uint32{5, 1<<24 - 1, 0, 70000, 1<<24 - 1}, 3},
		{[]uint32{5, 1 << 24, 0, 1<<24 - 1}, 4},
		{[]uint32{math.MaxUint32, 0, math.MaxUint32 - 1, 1}, 4},
	} {
		c := uintsOf(tc.vals)
		if c.Width != tc.width || c.Len() != len(tc.vals) {
			t.Errorf("%v: width %d, len %d; want %d, %d", tc.vals, c.Width, c.Len(), tc.width, len(tc.vals))
			continue
		}
		for i, want := range tc.vals {
			if got := c.At(uint32(i)); got != want {
				t.Errorf("%v: At(%d) = %d", tc.vals, i, got)
			}
		}
	}
}
