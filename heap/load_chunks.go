package heap

// chunks collects values of unknown count in fixed-size blocks and joins
// them once at the end: one copy of the data instead of append's repeated
// regrowth, and no transient 2× slice while growing.
type chunks[T any] struct {
	full [][]T
	cur  []T
	n    int
}

const chunkLen = 1 << 16

func (c *chunks[T]) add(v T) {
	if len(c.cur) == cap(c.cur) {
		if c.cur != nil {
			c.full = append(c.full, c.cur)
		}
		c.cur = make([]T, 0, chunkLen)
	}
	c.cur = append(c.cur, v)
	c.n++
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
	out := make([]T, 0, c.n)
	for _, b := range c.full {
		out = append(out, b...)
	}
	return append(out, c.cur...)
}
