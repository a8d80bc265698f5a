package heap

// semidominators computes each node's semidominator in reverse preorder,
// by path-compressed evaluation over its essential retainers. vertex holds
// the preorder -> node map on entry; each slot is overwritten with the
// semidominator. parent holds the DFS parents.
//
// The work splits in two of different nature. Resolving a node's
// retainers into preorder numbers (decode the list, find each edge's
// source, test the edge, look up the number) is most of the time, nearly
// all of it cache misses, and depends on nothing the step writes.
// Evaluating the candidates numbered above the node through the link
// forest (compress) must run in reverse preorder. So producers resolve
// chunks of slots into streams of candidates, in parallel and ahead, and
// one consumer evaluates the streams in order (semiPipeline). Candidates
// numbered below a node are final as they are: they arrive folded into
// one value per slot.
func (g *Graph) semidominators(ess *essentialEdges, num, parent, vertex, ancestor, label *uintColumn, count uint32) {
	if count < 2 {
		return
	}
	chunks := count/semiChunkSlots + 1 // chunk j holds slots j*semiChunkSlots.., clipped to 2..count
	bounds := func(k uint32) (lo, hi uint32) {
		j := chunks - 1 - k // chunk k of the walk, from the top slots down
		return max(j*semiChunkSlots, 2), min((j+1)*semiChunkSlots-1, count)
	}
	r := &semiResolver{g: g, ess: ess, num: num, parent: parent, vertex: vertex}
	e := &semiEvaluator{parent: parent, vertex: vertex, ancestor: ancestor, label: label}
	if workerCount() < 2 || g.EdgeCount() < minParallel {
		buf := make([]uint32, 0, semiBufLen)
		for k := range chunks {
			lo, hi := bounds(k)
			e.start(lo, hi)
			r.resolve(lo, hi, buf, func(b []uint32, _ bool) []uint32 {
				e.eval(b)
				return b[:0]
			})
			e.finish()
		}
		e.writeBack()
		return
	}
	semiPipeline(chunks, bounds, r, e)
}

// semiChunkSlots is the number of preorder slots per chunk: a multiple of
// 64, so that every chunk's packed bits start on a byte boundary (see
// semiPipeline).
const semiChunkSlots = 1 << 10

// semiBufLen is the length of one stream buffer (256 KiB); tests shrink it
// to split slots' streams between buffers.
var semiBufLen = 1 << 16

// A chunk's stream lists, for each slot w from the chunk's top down, the
// preorder numbers of w's candidates numbered above w, then semiEnd and
// w's base: its DFS parent folded with its candidates numbered below it.
// Candidates are above w >= 2, so semiEnd (0) is never one.
const semiEnd = 0

// semiResolver turns chunks of slots into candidate streams; it only reads.
type semiResolver struct {
	g                   *Graph
	ess                 *essentialEdges
	num, parent, vertex *uintColumn
}

// resolve writes the stream of slots hi down to lo into buf, handing each
// full buffer to flush, which returns the next one; the last goes with
// last set.
func (r *semiResolver) resolve(lo, hi uint32, buf []uint32, flush func(buf []uint32, last bool) []uint32) {
	g, ess, num := r.g, r.ess, r.num
	for w := hi; w >= lo; w-- {
		s := r.parent.At(w) // the DFS parent is a predecessor
		// With one retainer, that is the DFS tree edge (or v hangs off the
		// root, and s is the root): most nodes need no source look-up.
		if v := r.vertex.At(w); g.retainedMoreThanOnce(v) {
			rl := g.retainerList(v)
			for e, ok := rl.next(); ok; e, ok = rl.next() {
				u := g.src.of(e)
				un := num.At(u)
				switch {
				case un == 0 || !ess.retains(u, e, v):
				case un > w:
					if len(buf) == cap(buf) {
						buf = flush(buf, false)
					}
					buf = append(buf, un)
				default:
					s = min(s, un)
				}
			}
		}
		if len(buf)+2 > cap(buf) {
			buf = flush(buf, false)
		}
		buf = append(buf, semiEnd, s)
	}
	flush(buf, true)
}

// semiEvaluator consumes the streams in reverse preorder: a slot's
// semidominator is the least of its base and its high candidates' labels
// after path compression, and the slot is then linked to its DFS parent.
// It owns ancestor and label; vertex it writes only in writeBack.
type semiEvaluator struct {
	parent, vertex, ancestor, label *uintColumn
	path                            []uint32

	lo, hi, w, s uint32
	semi, prev   []uint32 // this chunk's semidominators by hi-w; the previous chunk's
	prevLo       uint32
}

// start begins the chunk of slots hi down to lo.
func (e *semiEvaluator) start(lo, hi uint32) {
	if e.semi == nil {
		e.semi, e.prev = make([]uint32, semiChunkSlots), make([]uint32, 0, semiChunkSlots)
	}
	e.lo, e.hi, e.w, e.s = lo, hi, hi, ^uint32(0)
}

// eval consumes one buffer of the current chunk's stream.
func (e *semiEvaluator) eval(buf []uint32) {
	for i := 0; i < len(buf); i++ {
		if un := buf[i]; un != semiEnd {
			e.path = compress(un, e.ancestor, e.label, e.path)
			e.s = min(e.s, e.label.At(un))
			continue
		}
		i++
		s, w := min(e.s, buf[i]), e.w
		e.semi[e.hi-w] = s
		e.label.set(w, s)
		e.ancestor.set(w, e.parent.At(w))
		e.w, e.s = w-1, ^uint32(0)
	}
}

// finish ends the current chunk: the previous one is written back, this
// one waits for the next finish (or writeBack).
func (e *semiEvaluator) finish() {
	e.writeBack()
	e.prev = append(e.prev[:0], e.semi[:e.hi-e.lo+1]...)
	e.prevLo = e.lo
}

// writeBack stores the previous chunk's semidominators into vertex.
func (e *semiEvaluator) writeBack() {
	hi := e.prevLo + uint32(len(e.prev)) - 1
	for i, s := range e.prev {
		e.vertex.set(hi-uint32(i), s)
	}
	e.prev = e.prev[:0]
}

// compress is Lengauer–Tarjan's path compression, iteratively: it points
// every node on the forest path from v at the path's root and folds the
// minimum label down the path. path is reusable scratch.
func compress(v uint32, ancestor, label *uintColumn, path []uint32) []uint32 {
	path = path[:0]
	for x := v; ancestor.At(ancestor.At(x)) != 0; x = ancestor.At(x) {
		path = append(path, x)
	}
	for i := len(path) - 1; i >= 0; i-- {
		x := path[i]
		a := ancestor.At(x)
		if la := label.At(a); la < label.At(x) {
			label.set(x, la)
		}
		ancestor.set(x, ancestor.At(a))
	}
	return path
}
