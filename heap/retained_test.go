package heap

import "testing"

// TestRetainedSizesBig: sizes of 16 MiB and more stay exact (up to and
// past 4 GiB), smaller ones stay in the 24-bit column.
func TestRetainedSizesBig(t *testing.T) {
	r := newRetainedSizes(4)
	r.add(0, 1<<23)
	r.add(0, 1<<23-1) // exactly the mark: no longer fits below it
	r.add(1, bigRetained-1)
	r.add(2, 5)
	r.add(2, 7<<32)
	r.add(3, 1<<31)
	r.add(3, 1<<31) // 4 GiB
	want := []uint64{bigRetained, bigRetained - 1, 7<<32 + 5, 1 << 32}
	for v, w := range want {
		if got := r.At(uint32(v)); got != w {
			t.Errorf("At(%d) = %d, want %d", v, got, w)
		}
	}
	if len(r.Big) != 3 || r.Low.At(1) != bigRetained-1 {
		t.Errorf("Big = %v, Low[1] = %d: want nodes 0, 2 and 3 in Big only", r.Big, r.Low.At(1))
	}
}

// TestRetainedAccumulate: a chain whose total passes 4 GiB, with an
// unreached node attached to the root.
func TestRetainedAccumulate(t *testing.T) {
	// Nodes 0 (root) -> 2 -> 1 in DFS preorder 1, 2, 3; node 3 unreached,
	// in slot 4.
	r := newRetainedSizes(4)
	for v, size := range []uint64{10, 3 << 30, 3 << 30, 7} {
		r.put(uint32(v), size)
	}
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
