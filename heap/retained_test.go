package heap

import "testing"

// TestRetainedSizesBig: sums of 4 GiB and more stay exact, smaller ones
// stay in the 32-bit column.
func TestRetainedSizesBig(t *testing.T) {
	r := RetainedSizes{Low: make([]uint32, 3)}
	r.add(0, 1<<31)
	r.add(0, 1<<31) // exactly 4 GiB: no longer fits below the mark
	r.add(1, bigRetained-1)
	r.add(2, 5)
	r.add(2, 7<<32)
	want := []uint64{1 << 32, bigRetained - 1, 7<<32 + 5}
	for v, w := range want {
		if got := r.At(uint32(v)); got != w {
			t.Errorf("At(%d) = %d, want %d", v, got, w)
		}
	}
	if len(r.Big) != 2 || r.Low[1] != bigRetained-1 {
		t.Errorf("Big = %v, Low = %v: want nodes 0 and 2 in Big only", r.Big, r.Low)
	}
}

// TestRetainedAccumulate: a chain whose total passes 4 GiB, with an
// unreached node attached to the root.
func TestRetainedAccumulate(t *testing.T) {
	// Nodes 0 (root) -> 2 -> 1 in DFS preorder 1, 2, 3; node 3 unreached,
	// in slot 4.
	r := RetainedSizes{Low: []uint32{10, 3 << 30, 3 << 30, 7}}
	vertex := uintsOf([]uint32{0, 0, 2, 1, 3})
	idom := uintsOf([]uint32{0, 2, 0, 0})
	r.accumulate(&vertex, &idom, 3)
	want := []uint64{10 + 6<<30 + 7, 3 << 30, 6 << 30, 7}
	for v, w := range want {
		if got := r.At(uint32(v)); got != w {
			t.Errorf("At(%d) = %d, want %d", v, got, w)
		}
	}
}

// TestFIFO: first in, first out across wrap-around and growth.
func TestFIFO(t *testing.T) {
	q := fifo{buf: make([]uint32, 3)}
	next, want := uint32(0), uint32(0)
	for round := range 50 {
		for range round % 7 {
			q.push(next)
			next++
		}
		for range round % 5 {
			if q.size == 0 {
				break
			}
			if got := q.pop(); got != want {
				t.Fatalf("pop = %d, want %d", got, want)
			}
			want++
		}
	}
	for q.size > 0 {
		if got := q.pop(); got != want {
			t.Fatalf("pop = %d, want %d", got, want)
		}
		want++
	}
	if want != next {
		t.Errorf("popped %d of %d", want, next)
	}
}
