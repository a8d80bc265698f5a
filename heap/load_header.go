package heap

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// layout is the decoded "snapshot" header: counts and the position of every
// field the loader reads, resolved by name from meta (V8 versions differ in
// field lists and enum orders, so nothing is hard-coded).
type layout struct {
	nodeCount, edgeCount int
	traceFunctionCount   int // -1 when the header has none

	nf                                           int // len(node_fields)
	nType, nName, nID, nSelf, nEdgeCount, nTrace int // nTrace is -1 when absent
	nodeKinds                                    []NodeKind

	ef                int // len(edge_fields)
	eType, eName, eTo int
	edgeKinds         []EdgeKind
	edgeNamedByString []bool // per file edge type: name_or_index is a string index

	loc   []int // object_index, script_id, line, column; nil when meta has no location_fields
	lf    int
	tfi   []int // function_id, name, script_name, script_id, line, column
	tf    int
	tnode []int // id, function_info_index, children
	tnf   int
}

type header struct {
	Meta struct {
		NodeFields              []string          `json:"node_fields"`
		NodeTypes               []json.RawMessage `json:"node_types"`
		EdgeFields              []string          `json:"edge_fields"`
		EdgeTypes               []json.RawMessage `json:"edge_types"`
		TraceFunctionInfoFields []string          `json:"trace_function_info_fields"`
		TraceNodeFields         []string          `json:"trace_node_fields"`
		LocationFields          []string          `json:"location_fields"`
	} `json:"meta"`
	NodeCount          *uint64 `json:"node_count"`
	EdgeCount          *uint64 `json:"edge_count"`
	TraceFunctionCount *uint64 `json:"trace_function_count"`
	RootIndex          *uint64 `json:"root_index"`
	Title              any     `json:"title"`
}

var nodeKindByName = map[string]NodeKind{
	"hidden": NodeHidden, "array": NodeArray, "string": NodeString, "object": NodeObject,
	"code": NodeCode, "closure": NodeClosure, "regexp": NodeRegExp, "number": NodeNumber,
	"native": NodeNative, "synthetic": NodeSynthetic, "concatenated string": NodeConsString,
	"sliced string": NodeSlicedString, "symbol": NodeSymbol, "bigint": NodeBigInt,
	"object shape": NodeObjectShape, "wasm object": NodeWasmObject,
}

var edgeKindByName = map[string]EdgeKind{
	"context": EdgeContext, "element": EdgeElement, "property": EdgeProperty,
	"internal": EdgeInternal, "hidden": EdgeHidden, "shortcut": EdgeShortcut, "weak": EdgeWeak,
}

// readHeader captures the small "snapshot" object and decodes it with
// encoding/json.
func (l *loader) readHeader() error {
	off := l.sc.offset()
	var raw []byte
	if err := l.sc.skipValue(&raw); err != nil {
		return err
	}
	var h header
	if err := json.Unmarshal(raw, &h); err != nil {
		return &SyntaxError{Offset: off, Msg: fmt.Sprintf("invalid \"snapshot\" header: %v", err)}
	}
	lay, err := newLayout(&h)
	if err != nil {
		return &SyntaxError{Offset: off, Msg: "\"snapshot\" header: " + err.Error()}
	}
	l.h = lay
	l.snap.RootIndex = 0
	if h.RootIndex != nil {
		r := *h.RootIndex
		if r%uint64(lay.nf) != 0 || r/uint64(lay.nf) >= uint64(lay.nodeCount) {
			return &SyntaxError{Offset: off, Msg: fmt.Sprintf("root_index %d is not a node index", r)}
		}
		l.snap.RootIndex = uint32(r / uint64(lay.nf))
	}
	if t, ok := h.Title.(string); ok {
		l.snap.Title = t
	}
	return nil
}

func newLayout(h *header) (*layout, error) {
	m := &h.Meta
	if h.NodeCount == nil || h.EdgeCount == nil {
		return nil, fmt.Errorf("missing node_count or edge_count")
	}
	if *h.NodeCount == 0 {
		return nil, fmt.Errorf("node_count is 0 (a snapshot has at least the root)")
	}
	// Node ordinals and preorder numbers (1-based, with 0 for "none") are
	// uint32, so the largest count leaves room for both.
	if *h.NodeCount >= math.MaxUint32 || *h.EdgeCount > math.MaxUint32 {
		return nil, fmt.Errorf("node_count %d or edge_count %d exceeds 2^32-2", *h.NodeCount, *h.EdgeCount)
	}
	if *h.NodeCount >= maxNodes {
		return nil, fmt.Errorf("node_count %d: snapshots of %d nodes or more are not supported", *h.NodeCount, maxNodes)
	}
	lay := &layout{
		nodeCount:          int(*h.NodeCount),
		edgeCount:          int(*h.EdgeCount),
		traceFunctionCount: -1,
		nf:                 len(m.NodeFields),
		ef:                 len(m.EdgeFields),
	}
	if h.TraceFunctionCount != nil {
		if *h.TraceFunctionCount > math.MaxUint32 {
			return nil, fmt.Errorf("trace_function_count %d too large", *h.TraceFunctionCount)
		}
		lay.traceFunctionCount = int(*h.TraceFunctionCount)
	}
	var err error
	idx, err := fieldIndexes("node_fields", m.NodeFields, "type", "name", "id", "self_size", "edge_count")
	if err != nil {
		return nil, err
	}
	lay.nType, lay.nName, lay.nID, lay.nSelf, lay.nEdgeCount = idx[0], idx[1], idx[2], idx[3], idx[4]
	lay.nTrace = slices.Index(m.NodeFields, "trace_node_id")
	if idx, err = fieldIndexes("edge_fields", m.EdgeFields, "type", "name_or_index", "to_node"); err != nil {
		return nil, err
	}
	lay.eType, lay.eName, lay.eTo = idx[0], idx[1], idx[2]

	nodeTypes, err := enumNames("node_types", m.NodeTypes, lay.nType)
	if err != nil {
		return nil, err
	}
	for _, t := range nodeTypes {
		lay.nodeKinds = append(lay.nodeKinds, nodeKindByName[t]) // NodeUnknown if absent
	}
	edgeTypes, err := enumNames("edge_types", m.EdgeTypes, lay.eType)
	if err != nil {
		return nil, err
	}
	for _, t := range edgeTypes {
		k := edgeKindByName[t]
		lay.edgeKinds = append(lay.edgeKinds, k)
		// element and hidden edges carry a number; every other type
		// (including unknown ones) names its edge by string index.
		lay.edgeNamedByString = append(lay.edgeNamedByString, k != EdgeElement && k != EdgeHidden)
	}

	if m.LocationFields != nil {
		if lay.loc, err = fieldIndexes("location_fields", m.LocationFields, "object_index", "script_id", "line", "column"); err != nil {
			return nil, err
		}
		lay.lf = len(m.LocationFields)
	}
	if m.TraceFunctionInfoFields != nil {
		if lay.tfi, err = fieldIndexes("trace_function_info_fields", m.TraceFunctionInfoFields,
			"function_id", "name", "script_name", "script_id", "line", "column"); err != nil {
			return nil, err
		}
		lay.tf = len(m.TraceFunctionInfoFields)
	}
	if m.TraceNodeFields != nil {
		if lay.tnode, err = fieldIndexes("trace_node_fields", m.TraceNodeFields, "id", "function_info_index", "children"); err != nil {
			return nil, err
		}
		lay.tnf = len(m.TraceNodeFields)
	}
	return lay, nil
}

// fieldIndexes resolves each wanted field name to its position in fields.
func fieldIndexes(list string, fields []string, want ...string) ([]int, error) {
	if len(fields) > 64 {
		return nil, fmt.Errorf("meta.%s has %d fields", list, len(fields))
	}
	idx := make([]int, len(want))
	for i, w := range want {
		idx[i] = slices.Index(fields, w)
		if idx[i] < 0 {
			return nil, fmt.Errorf("meta.%s lacks %q", list, w)
		}
	}
	return idx, nil
}

// enumNames decodes types[field]: the list of enum names of a type field.
func enumNames(list string, types []json.RawMessage, field int) ([]string, error) {
	if field >= len(types) {
		return nil, fmt.Errorf("meta.%s has no entry for the type field", list)
	}
	var names []string
	if err := json.Unmarshal(types[field], &names); err != nil {
		return nil, fmt.Errorf("meta.%s[%d] is not a list of names", list, field)
	}
	return names, nil
}
