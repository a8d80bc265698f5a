package heap

// NodeKind is the canonical node type. The loader translates the file's own
// type indexes (meta.node_types[0], which differ between V8 versions) into
// these constants by name, so no code outside the loader compares type
// strings or depends on the file's enum order.
type NodeKind uint8

const (
	NodeUnknown NodeKind = iota
	NodeHidden
	NodeArray
	NodeString
	NodeObject
	NodeCode
	NodeClosure
	NodeRegExp
	NodeNumber
	NodeNative
	NodeSynthetic
	NodeConsString // "concatenated string"
	NodeSlicedString
	NodeSymbol
	NodeBigInt
	NodeObjectShape
	NodeWasmObject
)

// EdgeKind is the canonical edge type, translated by name like NodeKind.
type EdgeKind uint8

const (
	EdgeUnknown EdgeKind = iota
	EdgeContext
	EdgeElement
	EdgeProperty
	EdgeInternal
	EdgeHidden
	EdgeShortcut
	EdgeWeak
)

// Snapshot is a loaded heap snapshot held as flat columns indexed by node
// ordinal (0..NodeCount()-1) or edge index (0..EdgeCount()-1). Node 0 is the
// synthetic root unless RootIndex says otherwise.
type Snapshot struct {
	// Per node.
	NodeKinds []NodeKind
	NodeNames []uint32 // index into Strings
	NodeIDs   []uint32 // snapshot object id (odd = V8 heap object, even = native)
	SelfSizes []uint32 // bytes; saturates at 4 GiB-1 for a single object
	TraceIDs  []uint32 // trace_tree node id, 0 = none
	FirstEdge []uint32 // len NodeCount()+1; node i's edges are [FirstEdge[i], FirstEdge[i+1])

	// Per edge, grouped by source node.
	EdgeNames uintColumn // string index, or the index itself for element/hidden edges (EdgeNameOrIndex), bit-packed
	// Edges holds each edge's target node ordinal (already divided by
	// len(node_fields)) and kind as to<<edgeKindBits | kind: one column of
	// 4 bytes instead of 5 (read them with EdgeTo and EdgeKind). It limits
	// snapshots to maxNodes nodes.
	Edges []uint32

	Strings Strings

	// Locations from the "locations" section, sorted by Node.
	Locations []Location

	// Allocation traces; empty unless the snapshot was taken with
	// --track-heap-objects or DevTools allocation instrumentation.
	TraceFunctions []TraceFunction
	TraceNodes     map[uint32]TraceNode // trace node id -> node

	RootIndex uint32 // ordinal of the root node
	Title     string
}

// Strings is the snapshot's string table in one byte arena.
type Strings struct {
	Arena   []byte
	Offsets []uint64 // len = count+1; string i is Arena[Offsets[i]:Offsets[i+1]]
}

// Len returns the number of strings.
func (t *Strings) Len() int {
	if len(t.Offsets) == 0 {
		return 0
	}
	return len(t.Offsets) - 1
}

// Get returns string i, or "" when i is out of range.
func (t *Strings) Get(i uint32) string {
	if int(i)+1 >= len(t.Offsets) {
		return ""
	}
	return string(t.Arena[t.Offsets[i]:t.Offsets[i+1]])
}

// Location is one record of the "locations" section: the source position V8
// reports for a function, generator or object with a script constructor.
type Location struct {
	Node     uint32 // node ordinal
	ScriptID uint32
	Line     uint32 // 0-based
	Column   uint32 // 0-based, UTF-16 code units
}

// TraceFunction is one record of trace_function_infos. Line and Column are
// 1-based as in the file; 0 means unknown.
type TraceFunction struct {
	FunctionID uint32 // snapshot id of the SharedFunctionInfo node
	Name       uint32 // string index
	ScriptName uint32 // string index
	ScriptID   uint32
	Line       uint32
	Column     uint32
}

// TraceNode is one node of the allocation trace tree.
type TraceNode struct {
	Parent   uint32 // parent trace node id, 0 for the root
	Function uint32 // index into TraceFunctions
}

// NodeCount returns the number of nodes.
func (s *Snapshot) NodeCount() int { return len(s.NodeKinds) }

// EdgeCount returns the number of edges.
func (s *Snapshot) EdgeCount() int { return len(s.Edges) }

// edgeKindBits is the width of the kind in an Edges entry: EdgeKind has
// eight values.
const edgeKindBits = 3

// maxNodes is the most nodes a snapshot may have: Edges keeps node
// ordinals in its high 29 bits. (A V8 heap of that many objects would
// write a snapshot of some 40 GB.)
const maxNodes = 1 << (32 - edgeKindBits)

// EdgeTo returns the node edge e points at.
func (s *Snapshot) EdgeTo(e uint32) uint32 { return s.Edges[e] >> edgeKindBits }

// EdgeNameOrIndex returns the name of edge e as the file has it: a string
// index, or the index itself for element and hidden edges.
func (s *Snapshot) EdgeNameOrIndex(e uint32) uint32 { return s.EdgeNames.At(e) }

// EdgeKind returns the kind of edge e.
func (s *Snapshot) EdgeKind(e uint32) EdgeKind { return EdgeKind(s.Edges[e] & (1<<edgeKindBits - 1)) }

// packEdge makes an Edges entry.
func packEdge(to uint32, k EdgeKind) uint32 { return to<<edgeKindBits | uint32(k) }

// Name returns the name of node i.
func (s *Snapshot) Name(i uint32) string { return s.Strings.Get(s.NodeNames[i]) }

// EdgeName returns the display name of edge e: the string for named edges,
// the decimal index for element and hidden edges.
func (s *Snapshot) EdgeName(e uint32) string {
	switch s.EdgeKind(e) {
	case EdgeElement, EdgeHidden:
		return uitoa(s.EdgeNameOrIndex(e))
	}
	return s.Strings.Get(s.EdgeNameOrIndex(e))
}

func uitoa(v uint32) string {
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(b[i:])
		}
	}
}
