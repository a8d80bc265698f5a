package heap

import (
	"bytes"
	"math"
	"testing"
)

func TestUintColumn(t *testing.T) {
	for _, tc := range []struct {
		vals  []uint32
		width uint32
	}{
		{nil, 1},
		{[]uint32{0}, 1},
		{[]uint32{1, 0, 1, 1, 0, 1, 0, 0, 1}, 1},
		{[]uint32{5, 7, 0, 3, 6, 1, 2, 4, 7, 7, 0}, 3},
		{[]uint32{255, 0, 128, 1}, 8},
		{[]uint32{256, 0, 65535, 1}, 16},
		{[]uint32{256, 0, 65536, 1}, 17},
		{[]uint32{5, 1<<24 - 1, 0, 70000, 1<<24 - 1}, 24},
		{[]uint32{5, 1 << 24, 0, 1<<24 - 1}, 25},
		{[]uint32{1<<27 - 1, 3, 1<<27 - 2, 0, 1 << 26, 12345678}, 27},
		{[]uint32{math.MaxUint32, 0, math.MaxUint32 - 1, 1}, 32},
	} {
		c := uintsOf(tc.vals)
		if c.Bits != tc.width || c.Len() != len(tc.vals) {
			t.Errorf("%v: bits %d, len %d; want %d, %d", tc.vals, c.Bits, c.Len(), tc.width, len(tc.vals))
			continue
		}
		for i, want := range tc.vals {
			if got := c.At(uint32(i)); got != want {
				t.Errorf("%v: At(%d) = %d", tc.vals, i, got)
			}
		}
	}
}

// TestUintColumnSet overwrites values in place: neighbours sharing a byte
// or an 8-byte word keep theirs.
func TestUintColumnSet(t *testing.T) {
	for _, w := range []uint32{1, 5, 8, 13, 16, 24, 25, 27, 31, 32} {
		max := ^uint32(0) >> (32 - w)
		c := newUintColumn(100, max)
		if c.Bits != w {
			t.Fatalf("newUintColumn(100, %d): %d bits, want %d", max, c.Bits, w)
		}
		want := make([]uint32, 100)
		for round := range 3 {
			for i := range want {
				x := uint32(i*2654435761+round*40503) & max
				if (i+round)%3 == 0 {
					x = max
				}
				want[i] = x
				c.set(uint32(i), x)
			}
			for i := range want {
				if got := c.At(uint32(i)); got != want[i] {
					t.Fatalf("%d bits, round %d: At(%d) = %d, want %d", w, round, i, got, want[i])
				}
			}
		}
	}
}

// values returns the column as a slice (tests compare whole columns).
func (c *uintColumn) values() []uint32 {
	out := make([]uint32, c.Len())
	for i := range out {
		out[i] = c.At(uint32(i))
	}
	return out
}

// values returns the distances as a slice.
func (d *Distances) values() []int32 {
	out := make([]int32, d.Len())
	for i := range out {
		out[i] = d.At(uint32(i))
	}
	return out
}

// TestPackUintsInPlace packs columns over their own memory, at every
// width and at lengths around a page, with exactly the room packing needs
// and with too little (copied): each reads back what it was given, byte
// for byte what packUints writes.
func TestPackUintsInPlace(t *testing.T) {
	for w := uint32(1); w <= 32; w++ {
		top := uint32(1<<w - 1)
		for _, n := range []int{0, 1, 7, 1023, 1024, 1025, 5000} {
			want := make([]uint32, n)
			for i := range want {
				want[i] = uint32(i*2654435761) & top // spread over the width
			}
			if n > 0 {
				want[n/2] = top
			}
			for _, room := range []int{packRoom(n), n} {
				v := append(make([]uint32, 0, room), want...)
				c := packUintsInPlace(v, top)
				if c.Bits != w || c.Len() != n {
					t.Fatalf("w %d n %d room %d: bits %d len %d", w, n, room, c.Bits, c.Len())
				}
				if !bytes.Equal(c.Data, packUints(want, top).Data) { // padding included: the index stores it
					t.Fatalf("w %d n %d room %d: bytes differ from packUints", w, n, room)
				}
				for i, x := range want {
					if got := c.At(uint32(i)); got != x {
						t.Fatalf("w %d n %d room %d: At(%d) = %d, want %d", w, n, room, i, got, x)
					}
				}
			}
		}
	}
}
