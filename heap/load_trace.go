package heap

import "math"

// readTraceTree decodes the nested "trace_tree" array. Its value is a list
// of trace nodes, each a tuple of trace_node_fields whose "children" field
// is again such a list. Recursion depth follows the allocation stacks, so
// the walk keeps its own stack of parent ids instead of recursing.
func (l *loader) readTraceTree() error {
	sc, h, s := l.sc, l.h, l.snap
	if err := sc.expect('[', "'[' to start \"trace_tree\""); err != nil {
		return err
	}
	if h.tnode == nil {
		if c, ok := sc.peek(); ok && c == ']' {
			sc.pos++
			return nil
		}
		return sc.errorf("\"trace_tree\" is not empty but meta has no trace_node_fields")
	}
	idF, fnF, childF := h.tnode[0], h.tnode[1], h.tnode[2]
	if childF < idF || childF < fnF {
		return sc.errorf("trace_node_fields lists \"children\" before \"id\" or \"function_info_index\"")
	}
	if s.TraceNodes == nil {
		s.TraceNodes = map[uint32]TraceNode{}
	}
	stack := []traceFrame{{}}
	needSep := false // a value was just read: ',' or ']' comes next
	opened := true   // a list was just opened: ']' may close it empty
	for len(stack) > 0 {
		c, ok := sc.peek()
		if !ok {
			return sc.unexpected("a value or ']' in \"trace_tree\"")
		}
		top := &stack[len(stack)-1]
		switch {
		case c == ',' && needSep:
			sc.pos++
			needSep = false
		case c == ']' && (needSep || opened):
			if top.field != 0 {
				return sc.errorf("trace node tuple has %d of %d fields", top.field, h.tnf)
			}
			sc.pos++
			stack = stack[:len(stack)-1]
			needSep, opened = true, false
			if len(stack) > 0 {
				l.endTraceField(&stack[len(stack)-1])
			}
		case c == '[' && !needSep && top.field == childF:
			if len(stack) > 1<<20 {
				return sc.errorf("\"trace_tree\" nested too deep")
			}
			sc.pos++
			s.TraceNodes[top.id] = TraceNode{Parent: top.parent, Function: top.fn}
			l.maxTraceFn = max(l.maxTraceFn, top.fn)
			stack = append(stack, traceFrame{parent: top.id})
			opened = true
		case c >= '0' && c <= '9' && !needSep && top.field != childF:
			v, err := sc.uint("trace_tree")
			if err != nil {
				return err
			}
			if v > math.MaxUint32 {
				return sc.errorf("trace node value %d exceeds 2^32-1", v)
			}
			switch top.field {
			case idF:
				top.id = uint32(v)
			case fnF:
				top.fn = uint32(v)
			}
			l.endTraceField(top)
			needSep, opened = true, false
		default:
			return sc.unexpected("trace node field, ',' or ']' in \"trace_tree\"")
		}
	}
	return nil
}

// traceFrame is one open children list of the trace tree: the parent id
// and the tuple being read.
type traceFrame struct {
	parent, id, fn uint32
	field          int // next field of the current tuple
}

// endTraceField advances to the next field, wrapping to the next tuple.
func (l *loader) endTraceField(f *traceFrame) {
	f.field++
	if f.field == l.h.tnf {
		f.field = 0
	}
}
