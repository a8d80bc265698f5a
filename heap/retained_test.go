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
// unreached node attached to the root, accumulated in preorder slots and
// moved to node space as the dominators do.
func TestRetainedAccumulate(t *testing.T) {
	// Nodes 0 (root) -> 2 -> 1 in DFS preorder 1, 2, 3; node 3 unreached,
	// numbered after them (slot 4). Slot 0 is unused.
	num := uintsOf([]uint32{1, 3, 2, 4})
	r := RetainedSizes{Low: []uint32{0, 10, 3 << 30, 3 << 30, 7}}
	idom := uintsOf([]uint32{0, 0, 1, 2, 0})
	r.accumulate(&idom, 3, 4)
	slots := uintsOf([]uint32{0, 1, 2, 3, 4}) // each slot's own number, to see where it lands
	permuteToNodes(&num, 4, &idom, &slots, r.Low)
	r.Low = r.Low[:4]
	r.Big = bigToNodes(r.Big, &num)
	want := []uint64{10 + 6<<30 + 7, 3 << 30, 6 << 30, 7}
	for v, w := range want {
		if got := r.At(uint32(v)); got != w {
			t.Errorf("At(%d) = %d, want %d", v, got, w)
		}
		if got := slots.At(uint32(v)); got != num.At(uint32(v)) {
			t.Errorf("node %d got slot %d's value, want slot %d's", v, got, num.At(uint32(v)))
		}
	}
}

// TestPermuteToNodes: random permutations of many cycles, two packed
// columns and a plain one moved together.
func TestPermuteToNodes(t *testing.T) {
	for _, n := range []uint32{1, 2, 7, 64, 65, 1000} {
		perm := make([]uint32, n) // node -> slot 1..n
		for i := range perm {
			perm[i] = uint32(i) + 1
		}
		for i := len(perm) - 1; i > 0; i-- {
			j := (i*7919 + 13) % (i + 1)
			perm[i], perm[j] = perm[j], perm[i]
		}
		num := uintsOf(perm)
		a, b := newUintColumn(int(n)+1, 3*n+2), newUintColumn(int(n)+1, n)
		c := make([]uint32, n+1)
		for s := range n + 1 {
			a.set(s, 3*s+2)
			b.set(s, s)
			c[s] = 5 * s
		}
		permuteToNodes(&num, n, &a, &b, c)
		for v := range n {
			s := perm[v]
			if a.At(v) != 3*s+2 || b.At(v) != s || c[v] != 5*s {
				t.Fatalf("n=%d: node %d has %d, %d, %d; want slot %d's", n, v, a.At(v), b.At(v), c[v], s)
			}
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
