package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// Stats describes a written snapshot.
type Stats struct {
	Bytes     int64 `json:"bytes"` // uncompressed
	Nodes     int   `json:"nodes"`
	Edges     int   `json:"edges"`
	Strings   int   `json:"strings"`
	Locations int   `json:"locations"`
}

// countingWriter counts what passes through to w.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// generate writes the snapshot described by p to w in one streaming pass
// per section; memory stays constant whatever the size.
func generate(w io.Writer, p *plan) (st Stats, err error) {
	defer func() {
		if r := recover(); r != nil {
			we, ok := r.(writeError)
			if !ok {
				panic(r)
			}
			err = we.err
		}
	}()
	cw := &countingWriter{w: w}
	count := newSink(passCount, nil)
	p.emit(count)
	count.end()
	if count.nodes != p.nodes {
		return st, fmt.Errorf("gensnap: planned %d nodes, described %d", p.nodes, count.nodes)
	}
	p.uniq = len(p.strs) // every fixed name is interned now
	st = Stats{Nodes: count.nodes, Edges: count.edges, Strings: p.uniq + p.units, Locations: count.locs}

	if err := writeHeader(cw, st); err != nil {
		return st, err
	}
	for _, sec := range []struct {
		pass pass
		head string
	}{
		{passNodes, "\"nodes\":["},
		{passEdges, "],\n\"edges\":["},
		{passLocs, "],\n\"trace_function_infos\":[],\n\"trace_tree\":[],\n\"samples\":[],\n\"locations\":["},
	} {
		if _, err := io.WriteString(cw, sec.head); err != nil {
			return st, err
		}
		s := newSink(sec.pass, cw)
		p.emit(s)
		s.end()
	}
	if _, err := io.WriteString(cw, "],\n\"strings\":["); err != nil {
		return st, err
	}
	if err := p.writeStrings(cw); err != nil {
		return st, err
	}
	if _, err := io.WriteString(cw, "]}\n"); err != nil {
		return st, err
	}
	st.Bytes = cw.n
	return st, nil
}

func writeHeader(w io.Writer, st Stats) error {
	meta := map[string]any{
		"node_fields":                nodeFields,
		"node_types":                 []any{nodeTypes, "string", "number", "number", "number", "number", "number"},
		"edge_fields":                []string{"type", "name_or_index", "to_node"},
		"edge_types":                 []any{edgeTypes, "string_or_number", "node"},
		"trace_function_info_fields": []string{"function_id", "name", "script_name", "script_id", "line", "column"},
		"trace_node_fields":          []string{"id", "function_info_index", "count", "size", "children"},
		"sample_fields":              []string{"timestamp_us", "last_assigned_id"},
		"location_fields":            []string{"object_index", "script_id", "line", "column"},
	}
	b, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "{\"snapshot\":{\"meta\":%s,\"node_count\":%d,\"edge_count\":%d,\"trace_function_count\":0},\n",
		b, st.Nodes, st.Edges)
	return err
}

// writeStrings writes the interned names, then one id string per unit.
func (p *plan) writeStrings(w io.Writer) error {
	buf := make([]byte, 0, 1<<20)
	for i, str := range p.strs {
		if i > 0 {
			buf = append(buf, ",\n"...)
		}
		buf = strconv.AppendQuote(buf, str) // names are ASCII: Go and JSON quoting agree
	}
	for i := range p.units {
		buf = append(buf, ",\n\"session-"...)
		buf = strconv.AppendUint(buf, uint64(i), 10)
		buf = append(buf, '"')
		if len(buf) > cap(buf)-64 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	_, err := w.Write(buf)
	return err
}
