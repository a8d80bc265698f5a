package heap

// fifo is a growable ring buffer of node ordinals, for the BFS queue: it
// holds the frontier only, so a buffer of NodeCount() entries never grows
// (the first pass may enqueue a user root more than once, at most once
// per root edge, before any other node).
type fifo struct {
	buf        []uint32
	head, size int
}

func (q *fifo) push(v uint32) {
	if q.size == len(q.buf) {
		q.grow()
	}
	i := q.head + q.size
	if i >= len(q.buf) {
		i -= len(q.buf) // no division on the BFS's hot path
	}
	q.buf[i] = v
	q.size++
}

func (q *fifo) pop() uint32 {
	v := q.buf[q.head]
	q.head++
	if q.head == len(q.buf) {
		q.head = 0
	}
	q.size--
	return v
}

func (q *fifo) grow() {
	b := make([]uint32, max(2*len(q.buf), 1<<12))
	n := copy(b, q.buf[q.head:])
	copy(b[n:], q.buf[:q.head])
	q.buf, q.head = b, 0
}
