package heap

import "unsafe"

// chunks collects values of unknown count in blocks and joins them once
// at the end: one copy of the data instead of append's repeated regrowth,
// and no transient 2x slice while growing. Blocks double from chunkLen
// values up to maxChunkBytes, so that a big section's blocks and the
// joined slice are big enough for huge pages (makeColumn): fresh 4 KiB
// pages are what a section like "locations" spent most of its time on.
type chunks[T any] struct {
	full [][]T
	cur  []T
	n    int
}

const (
	chunkLen      = 1 << 12
	maxChunkBytes = 16 << 20
)

func (c *chunks[T]) add(v T) {
	if len(c.cur) == cap(c.cur) {
		c.grow()
	}
	c.cur = append(c.cur, v)
	c.n++
}

// grow starts the next block, twice the size of the last one.
func (c *chunks[T]) grow() {
	next := chunkLen
	if c.cur != nil {
		c.full = append(c.full, c.cur)
		next = 2 * cap(c.cur)
		var zero T
		if size := uintptr(next) * unsafe.Sizeof(zero); size > maxChunkBytes {
			next = cap(c.cur)
		}
	}
	c.cur = makeColumn[T](0, next)
}

// last returns the most recently added value; ok is false when empty.
func (c *chunks[T]) last() (v T, ok bool) {
	if len(c.cur) == 0 {
		return v, false
	}
	return c.cur[len(c.cur)-1], true
}

// join returns all values in one exactly sized slice (nil when empty).
func (c *chunks[T]) join() []T {
	if c.n == 0 {
		return nil
	}
	out := makeColumn[T](0, c.n)
	for _, b := range c.full {
		out = append(out, b...)
	}
	return append(out, c.cur...)
}
