package main

import (
	"fmt"
	"io"
	"strconv"
)

// Node and edge type indexes, in the order of nodeTypes and edgeTypes
// (Node 20's meta lists).
const (
	tHidden = iota
	tArray
	tString
	tObject
	tCode
	tClosure
	tRegExp
	tNumber
	tNative
	tSynthetic
	tConsString
	tSlicedString
	tSymbol
	tBigInt
	tObjectShape
)

const (
	eContext = iota
	eElement
	eProperty
	eInternal
	eHidden
	eShortcut
	eWeak
)

// nodeFields is Node 20's node_fields; to_node values are ordinal × len.
var nodeFields = []string{"type", "name", "id", "self_size", "edge_count", "trace_node_id", "detachedness"}

var nodeTypes = []string{"hidden", "array", "string", "object", "code", "closure", "regexp", "number", "native",
	"synthetic", "concatenated string", "sliced string", "symbol", "bigint", "object shape", "wasm object"}

var edgeTypes = []string{"context", "element", "property", "internal", "hidden", "shortcut", "weak"}

// pass says what one walk over the graph description produces. The graph
// is described once (emit) and walked four times, so the counts in the
// header, the node records with their edge counts, the edge records and
// the locations cannot disagree.
type pass int

const (
	passCount pass = iota // count nodes, edges, locations
	passNodes             // write "nodes" records
	passEdges             // write "edges" records
	passLocs              // write "locations" records
)

// sink receives the graph description in node order. Every node is
// declared at the ordinal the plan gave it; a mismatch is a bug in the
// plan and panics in the counting pass, before anything is written.
type sink struct {
	pass pass
	w    io.Writer
	buf  []byte

	ord   int // ordinal of the current node, -1 before the first
	nodes int
	edges int
	locs  int

	// The current node's record, written (passNodes) once its edges are counted.
	kind, name, self, ecount int
}

func newSink(p pass, w io.Writer) *sink {
	return &sink{pass: p, w: w, ord: -1, buf: make([]byte, 0, 1<<20)}
}

// node starts node ord.
func (s *sink) node(ord, kind, name, self int) {
	if ord != s.ord+1 {
		panic(fmt.Sprintf("gensnap: node declared at ordinal %d, expected %d", ord, s.ord+1))
	}
	s.flushNode()
	s.ord = ord
	s.nodes++
	s.kind, s.name, s.self, s.ecount = kind, name, self, 0
}

// edge adds an edge from the current node to node ordinal to.
func (s *sink) edge(kind, name, to int) {
	s.ecount++
	s.edges++
	if s.pass != passEdges {
		return
	}
	s.sep(s.edges == 1)
	s.num(kind)
	s.buf = append(s.buf, ',')
	s.num(name)
	s.buf = append(s.buf, ',')
	s.num(to * len(nodeFields))
	s.line()
}

// loc gives the current node a source position (0-based line and column).
func (s *sink) loc(script, line, col int) {
	s.locs++
	if s.pass != passLocs {
		return
	}
	s.sep(s.locs == 1)
	s.num(s.ord * len(nodeFields))
	for _, v := range [...]int{script, line, col} {
		s.buf = append(s.buf, ',')
		s.num(v)
	}
	s.line()
}

// flushNode writes the current node's record (type, name, id, self_size,
// edge_count, trace_node_id, detachedness). Ids are odd, as V8 gives heap
// objects, and stable: 2×ordinal+1.
func (s *sink) flushNode() {
	if s.pass != passNodes || s.ord < 0 {
		return
	}
	s.sep(s.ord == 0)
	for i, v := range [...]int{s.kind, s.name, 2*s.ord + 1, s.self, s.ecount, 0, 0} {
		if i > 0 {
			s.buf = append(s.buf, ',')
		}
		s.num(v)
	}
	s.line()
}

// sep starts a record: V8 writes one record per line, each after the first
// prefixed with a comma.
func (s *sink) sep(first bool) {
	if !first {
		s.buf = append(s.buf, ',')
	}
}

func (s *sink) num(v int) { s.buf = strconv.AppendUint(s.buf, uint64(v), 10) }

func (s *sink) line() {
	s.buf = append(s.buf, '\n')
	if len(s.buf) > cap(s.buf)-256 {
		s.flush()
	}
}

// end writes the last node record and what is buffered.
func (s *sink) end() error {
	s.flushNode()
	return s.flush()
}

func (s *sink) flush() error {
	if s.w == nil || len(s.buf) == 0 {
		s.buf = s.buf[:0]
		return nil
	}
	_, err := s.w.Write(s.buf)
	s.buf = s.buf[:0]
	if err != nil {
		panic(writeError{err}) // unwound in generate, so emit stays free of error plumbing
	}
	return nil
}

// writeError carries a write failure out of the graph walk.
type writeError struct{ err error }
