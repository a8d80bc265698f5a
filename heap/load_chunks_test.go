package heap

import "testing"

// chunks keeps every value in order across its doubling blocks, up to and
// past the largest block size, and joins them exactly.
func TestChunks(t *testing.T) {
	for _, n := range []int{0, 1, chunkLen, chunkLen + 1, 2*maxChunkBytes/8 + 1} {
		var c chunks[uint64]
		for i := range n {
			c.add(uint64(i) * 3)
		}
		if v, ok := c.last(); ok != (n > 0) || ok && v != uint64(n-1)*3 {
			t.Errorf("n=%d: last = %d, %v", n, v, ok)
		}
		got := c.join()
		if len(got) != n || cap(got) != n {
			t.Fatalf("n=%d: joined len %d cap %d", n, len(got), cap(got))
		}
		for i, v := range got {
			if v != uint64(i)*3 {
				t.Fatalf("n=%d: value %d = %d, want %d", n, i, v, i*3)
			}
		}
		for _, b := range c.full {
			if size := cap(b) * 8; size > maxChunkBytes {
				t.Errorf("n=%d: a block of %d bytes, over %d", n, size, maxChunkBytes)
			}
		}
	}
}

// dropSlack keeps the arena's bytes and caps it at its length, whatever
// the slack.
func TestDropSlack(t *testing.T) {
	for _, slack := range []int{0, 100, 1 << 20} {
		a := make([]byte, 70_000, 70_000+slack)
		for i := range a {
			a[i] = byte(i)
		}
		b := dropSlack(a)
		if len(b) != 70_000 || cap(b) != 70_000 {
			t.Fatalf("slack %d: len %d cap %d", slack, len(b), cap(b))
		}
		for i, x := range b {
			if x != byte(i) {
				t.Fatalf("slack %d: byte %d = %d", slack, i, x)
			}
		}
		b = append(b, 7) // grows into a new array, not the discarded pages
		if b[70_000] != 7 || b[69_999] != byte(69_999%256) {
			t.Fatalf("slack %d: append after dropSlack lost data", slack)
		}
	}
}
