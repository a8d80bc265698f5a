package heap

import (
	"testing"
	"unsafe"
)

// makeColumn's big columns start on a huge page boundary and read as
// zeros; small ones and odd element sizes are plain slices. All have the
// length and capacity asked for.
func TestMakeColumn(t *testing.T) {
	check := func(name string, ptr unsafe.Pointer, n, c, gotLen, gotCap int, wantAligned bool) {
		t.Helper()
		if gotLen != n || gotCap != c {
			t.Errorf("%s: len %d cap %d, want %d %d", name, gotLen, gotCap, n, c)
		}
		if aligned := uintptr(ptr)%hugePage == 0; wantAligned && !aligned {
			t.Errorf("%s: starts at %#x, not on a 2 MiB boundary", name, uintptr(ptr))
		}
	}
	for range 3 { // later rounds may reuse freed, non-zero memory
		big := makeColumn[uint32](hugeMin/4+5, hugeMin/4+100)
		check("uint32 big", unsafe.Pointer(unsafe.SliceData(big)), hugeMin/4+5, hugeMin/4+100, len(big), cap(big), true)
		for i, v := range big {
			if v != 0 {
				t.Fatalf("value %d = %d, want 0", i, v)
			}
			big[i] = uint32(i)
		}
		big = append(big, 1, 2, 3)
		if big[hugeMin/4+4] != hugeMin/4+4 || big[len(big)-1] != 3 {
			t.Fatal("values lost")
		}
		locs := makeColumn[Location](0, hugeMin/16)
		check("Location", unsafe.Pointer(unsafe.SliceData(locs)), 0, hugeMin/16, len(locs), cap(locs), true)
		small := makeColumn[uint64](10, 20)
		check("small", unsafe.Pointer(unsafe.SliceData(small)), 10, 20, len(small), cap(small), false)
		odd := makeColumn[[3]byte](hugeMin, hugeMin)
		check("3-byte elements", unsafe.Pointer(unsafe.SliceData(odd)), hugeMin, hugeMin, len(odd), cap(odd), false)
	}
}
