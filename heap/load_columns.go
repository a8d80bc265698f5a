package heap

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
)

// batchRecords is how many records records() hands over at a time.
const batchRecords = 8192

// records reads a flat array of width-number records, handing them to fn in
// batches (so the per-record work is a tight loop in fn, not a call).
// limit is the most records the array may hold; more is an error, which
// also bounds memory on hostile input. It returns the number of records.
func (l *loader) records(section string, width, limit int, fn func(batch []uint64, first int) error) (int, error) {
	return l.recordsPlaced(section, width, limit, fn, nil)
}

// placeFunc converts whole records into columns laid out in full, at
// record index first, from any goroutine; at is the input offset its
// errors report. See recordsParallel.
type placeFunc func(batch []uint64, first int, at int64) error

// recordsPlaced is records() with an optional place: when set, parallel
// workers convert the records of their own block with it, and fn only
// sees records split between blocks.
func (l *loader) recordsPlaced(section string, width, limit int, fn func(batch []uint64, first int) error, place placeFunc) (int, error) {
	sc := l.sc
	if width <= 0 {
		return 0, sc.errorf("%q has no fields in meta", section)
	}
	if err := sc.beginArray(section); err != nil {
		return 0, err
	}
	if parallelSection(section) && workerCount() > 1 {
		return l.recordsParallel(section, width, limit, fn, place)
	}
	batch := min(batchRecords, limit+1) // +1 so an extra record is seen and reported
	if cap(l.chunk) < width*batch {
		l.chunk = make([]uint64, width*batch)
	}
	chunk := l.chunk[:width*batch]
	count := 0
	for {
		n, closed, err := sc.numbers(chunk, section)
		if err != nil {
			return count, err
		}
		if n%width != 0 {
			return count, sc.errorf("%q has %d values, not a multiple of %d fields", section, count*width+n, width)
		}
		recs := n / width
		if count+recs > limit {
			return count, sc.errorf("%q has more than the %d records the header announces", section, limit)
		}
		if err := fn(chunk[:n], count); err != nil {
			return count, err
		}
		count += recs
		if closed {
			return count, nil
		}
	}
}

// grow extends s by n elements (contents of the new ones undefined).
func grow[T any](s []T, n int) []T {
	return slices.Grow(s, n)[:len(s)+n]
}

func (l *loader) readNodes() error {
	h, s := l.h, l.snap
	nf := h.nf
	c := l.capFor(h.nodeCount, nf)
	// As for the edges: laid out whole up front when the header's count
	// fits the input, so that parallel workers fill their own ranges.
	whole := c == h.nodeCount
	n0 := 0
	if whole {
		n0 = c
	}
	s.NodeKinds = makeColumn[NodeKind](n0, c)
	s.NodeNames = makeColumn[uint32](n0, c)
	s.NodeIDs = makeColumn[uint32](n0, c)
	s.SelfSizes = makeColumn[uint32](n0, c)
	s.FirstEdge = makeColumn[uint32](n0+1, c+1) // edge counts, summed once all are read
	conv := &nodeConverter{l: l, whole: whole, traceCap: c}
	seq := func(batch []uint64, first int) error {
		if !whole {
			k := len(batch) / nf
			s.NodeKinds, s.NodeNames, s.NodeIDs = grow(s.NodeKinds, k), grow(s.NodeNames, k), grow(s.NodeIDs, k)
			s.SelfSizes, s.FirstEdge = grow(s.SelfSizes, k), grow(s.FirstEdge, k)
		}
		return conv.nodes(batch, first, l.errAt)
	}
	var place placeFunc
	if whole {
		place = conv.nodes
	}
	n, err := l.recordsPlaced("nodes", nf, h.nodeCount, seq, place)
	if err != nil {
		return err
	}
	if n != h.nodeCount {
		return l.sc.errorf("\"nodes\" has %d records, header node_count is %d", n, h.nodeCount)
	}
	if edges := sumEdgeCounts(s.FirstEdge); edges != uint64(h.edgeCount) {
		return l.sc.errorf("node edge_count values sum to %d, header edge_count is %d", edges, h.edgeCount)
	}
	if int(s.RootIndex) >= n {
		return l.sc.errorf("root_index %d out of range", s.RootIndex)
	}
	l.maxNodeName = uint32(conv.maxName.Load())
	return nil
}

// sumEdgeCounts turns fe[1:], the nodes' edge counts, into each node's
// first edge index (fe[0] is 0) and returns the total. Sums beyond 2^32-1
// saturate: the total then differs from any header's edge_count.
func sumEdgeCounts(fe []uint32) uint64 {
	var sum uint64
	for i := 1; i < len(fe); i++ {
		sum += uint64(fe[i])
		fe[i] = uint32(min(sum, math.MaxUint32))
	}
	return sum
}

// nodeConverter converts node records into the snapshot's node columns at
// given record indexes, each node's edge count into FirstEdge[i+1]; with
// whole columns several goroutines may use it on disjoint ranges.
type nodeConverter struct {
	l        *loader
	whole    bool
	traceCap int
	maxName  atomic.Uint64
	trace    sync.Once
}

// nodes converts batch into records first, first+1, …; errors report
// offset at (or the scanner's position when at is -1).
func (c *nodeConverter) nodes(batch []uint64, first int, at int64) error {
	l, h, s := c.l, c.l.h, c.l.snap
	nf := h.nf
	k := len(batch) / nf
	kinds, names, ids := s.NodeKinds[first:first+k], s.NodeNames[first:first+k], s.NodeIDs[first:first+k]
	sizes, counts := s.SelfSizes[first:first+k], s.FirstEdge[first+1:first+1+k]
	// Locals, so the loop keeps them in registers.
	tOff, nOff, idOff, sOff, ecOff, nodeKinds := h.nType, h.nName, h.nID, h.nSelf, h.nEdgeCount, h.nodeKinds
	var mx uint64
	for r := 0; r < k; r++ {
		rec := batch[r*nf : r*nf+nf]
		t, name, id, ec := rec[tOff], rec[nOff], rec[idOff], rec[ecOff]
		if t >= uint64(len(nodeKinds)) || (name|id|ec)>>32 != 0 {
			return l.badNode(first+r, rec, at)
		}
		kinds[r] = nodeKinds[t]
		names[r] = uint32(name)
		mx = max(mx, name)
		ids[r] = uint32(id)
		sizes[r] = uint32(min(rec[sOff], math.MaxUint32)) // saturate, see Snapshot.SelfSizes
		counts[r] = uint32(ec)
	}
	atomicMax(&c.maxName, mx)
	if h.nTrace >= 0 {
		for r := 0; r < k; r++ {
			c.traceID(first+r, batch[r*nf+h.nTrace])
		}
	}
	return nil
}

// traceID records node i's trace_node_id. The column stays nil until the
// first non-zero id, so snapshots without allocation tracking pay nothing.
func (c *nodeConverter) traceID(i int, v uint64) {
	s := c.l.snap
	if c.whole {
		if v != 0 {
			c.trace.Do(func() { s.TraceIDs = makeColumn[uint32](c.traceCap, c.traceCap) })
			s.TraceIDs[i] = uint32(min(v, math.MaxUint32))
		}
		return
	}
	// Growing columns: records arrive in order, one goroutine.
	if s.TraceIDs == nil {
		if v == 0 {
			return
		}
		// Capacity for every node the header announces, bounded like the
		// other columns by what the input can hold: a lying header must
		// not reserve gigabytes for a tiny file.
		s.TraceIDs = makeColumn[uint32](i, max(i+1, c.traceCap))
	}
	s.TraceIDs = append(s.TraceIDs, uint32(min(v, math.MaxUint32)))
}

func (l *loader) badNode(ord int, rec []uint64, at int64) error {
	h, errorf := l.h, l.errorfAt(at)
	if t := rec[h.nType]; t >= uint64(len(h.nodeKinds)) {
		return errorf("node %d: type %d out of range (%d node types)", ord, t, len(h.nodeKinds))
	}
	return errorf("node %d: name, id or edge_count exceeds 2^32-1", ord)
}

func (l *loader) readEdges() error {
	h, s := l.h, l.snap
	if !l.seen["nodes"] {
		return l.sc.errorf("\"edges\" before \"nodes\"")
	}
	ef := h.ef
	c := l.capFor(h.edgeCount, ef)
	// When the header's count fits the input, the columns are laid out
	// whole up front and parallel workers fill their own ranges;
	// otherwise they grow in input order as records arrive.
	whole := c == h.edgeCount
	n0 := 0
	if whole {
		n0 = c
	}
	// Names are parsed into 4 bytes each, and narrowed to the bits the
	// largest needs once all are seen (uintColumn).
	l.edgeNames = makeColumn[uint32](n0, packRoom(c))
	s.Edges = makeColumn[uint32](n0, c)
	var maxName atomic.Uint64
	conv := l.edgeConverter()
	seq := func(batch []uint64, first int) error {
		if !whole {
			k := len(batch) / ef
			l.edgeNames, s.Edges = grow(l.edgeNames, k), grow(s.Edges, k)
		}
		mx, err := conv.edges(batch, first, l.errAt)
		atomicMax(&maxName, mx)
		return err
	}
	var place placeFunc
	if whole {
		place = func(batch []uint64, first int, at int64) error {
			mx, err := conv.edges(batch, first, at)
			atomicMax(&maxName, mx)
			return err
		}
	}
	n, err := l.recordsPlaced("edges", ef, h.edgeCount, seq, place)
	if err != nil {
		return err
	}
	if n != h.edgeCount {
		return l.sc.errorf("\"edges\" has %d records, header edge_count is %d", n, h.edgeCount)
	}
	l.maxEdgeName = uint32(maxName.Load())
	var mx uint32
	for _, x := range l.edgeNames {
		mx = max(mx, x)
	}
	s.EdgeNames = packUintsInPlace(l.edgeNames, mx)
	l.edgeNames = nil
	return nil
}

// edgeConverter converts edge records into the snapshot's edge columns at
// given record indexes; it reads only what the header fixed, so several
// goroutines may use it on disjoint ranges.
type edgeConverter struct {
	l     *loader
	ef    int
	nf    uint64
	div   divider
	limit uint64 // node_count × len(node_fields): to_node must be below
}

func (l *loader) edgeConverter() *edgeConverter {
	h := l.h
	nf := uint64(h.nf)
	return &edgeConverter{l: l, ef: h.ef, nf: nf, div: newDivider(nf), limit: uint64(h.nodeCount) * nf}
}

// edges converts batch into records first, first+1, …; it returns the
// largest string index used as an edge name, and errors at offset at (or
// the scanner's position when at is -1).
func (c *edgeConverter) edges(batch []uint64, first int, at int64) (uint64, error) {
	h, s := c.l.h, c.l.snap
	ef, nf, div, limit := c.ef, c.nf, c.div, c.limit
	k := len(batch) / ef
	names, edges := c.l.edgeNames[first:first+k], s.Edges[first:first+k]
	// Locals, so the loop keeps them in registers.
	tOff, nOff, toOff, edgeKinds, named := h.eType, h.eName, h.eTo, h.edgeKinds, h.edgeNamedByString
	var mx uint64
	for r := 0; r < k; r++ {
		rec := batch[r*ef : r*ef+ef]
		t, name, dst := rec[tOff], rec[nOff], rec[toOff]
		ord := div.div(dst)
		if t >= uint64(len(edgeKinds)) || name>>32 != 0 || dst >= limit || ord*nf != dst {
			return mx, c.l.badEdge(first+r, rec, at)
		}
		names[r] = uint32(name)
		if named[t] {
			mx = max(mx, name)
		}
		edges[r] = packEdge(uint32(ord), edgeKinds[t])
	}
	return mx, nil
}

// atomicMax raises m to at least v.
func atomicMax(m *atomic.Uint64, v uint64) {
	for {
		old := m.Load()
		if v <= old || m.CompareAndSwap(old, v) {
			return
		}
	}
}

func (l *loader) badEdge(e int, rec []uint64, at int64) error {
	h, errorf := l.h, l.errorfAt(at)
	if t := rec[h.eType]; t >= uint64(len(h.edgeKinds)) {
		return errorf("edge %d: type %d out of range (%d edge types)", e, t, len(h.edgeKinds))
	}
	if rec[h.eName]>>32 != 0 {
		return errorf("edge %d: name_or_index exceeds 2^32-1", e)
	}
	return errorf("edge %d: to_node %d is not a node index (node_count %d × %d fields)", e, rec[h.eTo], h.nodeCount, h.nf)
}

func (l *loader) readLocations() error {
	h, s := l.h, l.snap
	if h.loc == nil {
		return l.emptyWithoutMeta("locations", "location_fields")
	}
	obj, script, line, col := h.loc[0], h.loc[1], h.loc[2], h.loc[3]
	nf := uint64(h.nf)
	div := newDivider(nf)
	limit := uint64(h.nodeCount) * nf
	sorted := true
	var locs chunks[Location]
	_, err := l.records("locations", h.lf, math.MaxInt32, func(batch []uint64, first int) error {
		for r := 0; r < len(batch)/h.lf; r++ {
			rec := batch[r*h.lf : (r+1)*h.lf]
			o := rec[obj]
			if o >= limit || div.div(o)*nf != o || (rec[script]|rec[line]|rec[col])>>32 != 0 {
				return l.errorf("location %d: object_index %d is not a node index or a value exceeds 2^32-1", first+r, o)
			}
			loc := Location{Node: uint32(div.div(o)), ScriptID: uint32(rec[script]), Line: uint32(rec[line]), Column: uint32(rec[col])}
			if prev, ok := locs.last(); ok && prev.Node > loc.Node {
				sorted = false
			}
			locs.add(loc)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.Locations = locs.join()
	if !sorted {
		slices.SortStableFunc(s.Locations, func(a, b Location) int { return cmp.Compare(a.Node, b.Node) })
	}
	return nil
}

func (l *loader) readTraceFunctions() error {
	h, s := l.h, l.snap
	if h.tfi == nil {
		return l.emptyWithoutMeta("trace_function_infos", "trace_function_info_fields")
	}
	limit := math.MaxInt32
	if h.traceFunctionCount >= 0 {
		limit = h.traceFunctionCount
	}
	_, err := l.records("trace_function_infos", h.tf, limit, func(batch []uint64, first int) error {
		for r := 0; r < len(batch)/h.tf; r++ {
			rec := batch[r*h.tf : (r+1)*h.tf]
			var v [6]uint32
			for j, f := range h.tfi {
				if rec[f]>>32 != 0 {
					return l.sc.errorf("trace function %d: value %d exceeds 2^32-1", first+r, rec[f])
				}
				v[j] = uint32(rec[f])
			}
			s.TraceFunctions = append(s.TraceFunctions, TraceFunction{
				FunctionID: v[0], Name: v[1], ScriptName: v[2], ScriptID: v[3], Line: v[4], Column: v[5],
			})
		}
		return nil
	})
	return err
}

// emptyWithoutMeta accepts an empty array for a section whose field list is
// missing from meta (older writers); a non-empty one cannot be decoded.
func (l *loader) emptyWithoutMeta(section, fields string) error {
	sc := l.sc
	if err := sc.beginArray(section); err != nil {
		return err
	}
	if c, ok := sc.peek(); ok && c == ']' {
		sc.pos++
		return nil
	}
	return fmt.Errorf("heapsnapshot: offset %d: %q is not empty but meta has no %s", sc.offset(), section, fields)
}

// divider divides by a small constant with one multiplication (Granlund–
// Montgomery): to_node needs a division per edge, and a hardware 64-bit
// divide per edge costs more than parsing the edge. Exact for x < 2^64/d,
// which holds for node indexes (< 2^32 × len(node_fields)).
type divider struct{ d, m uint64 }

func newDivider(d uint64) divider {
	if d <= 1 {
		return divider{d: 1}
	}
	return divider{d: d, m: ^uint64(0)/d + 1}
}

func (v divider) div(x uint64) uint64 {
	if v.m == 0 {
		return x
	}
	hi, _ := bits.Mul64(x, v.m)
	return hi
}
