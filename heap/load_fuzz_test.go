package heap

import (
	"bytes"
	"compress/gzip"
	"reflect"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to Load: it must return a snapshot that
// satisfies the invariants or an error, and never panic.
func FuzzLoad(f *testing.F) {
	tiny := string(readTiny(f))
	f.Add([]byte(tiny))
	for _, r := range [][2]string{
		{`"node_count":6`, `"node_count":4000000000`},
		{`"edge_count":7`, `"edge_count":0`},
		{",3,8,24", ",3,8,18"},
		{`[1,0,0,0,[2,1,1,40,[],3,1,2,132,[]]]`, `[1,0,0,0,[2,1,1,40,[4,1,0,0,[]],3,1,2,132,[]]]`},
		{`"lone\ud800x"`, `"\udc00\ud800\u"`},
		{`"trace_node_fields":["id","function_info_index","count","size","children"]`, `"trace_node_fields":["children","id"]`},
		{`"location_fields":["object_index","script_id","line","column"]`, `"location_fields":[]`},
		{`"samples":[]`, `"samples":[[[[[[[[[[`},
		{`"title":"tiny"`, `"title":"tiny","root_index":6`},
	} {
		f.Add([]byte(strings.Replace(tiny, r[0], r[1], 1)))
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(tiny))
	zw.Close()
	f.Add(gz.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Load(bytes.NewReader(data), LoadOptions{Size: int64(len(data))})
		// The parallel pipeline with blocks cut inside records must agree
		// with the sequential scanner on every input.
		for _, m := range []loadMode{{1, 1 << 20}, {2, 7}} {
			o, oerr := loadIn(m, bytes.NewReader(data), LoadOptions{Size: int64(len(data))})
			if (oerr == nil) != (err == nil) || err == nil && !reflect.DeepEqual(o, s) {
				t.Fatalf("mode %+v: %v; default mode: %v", m, oerr, err)
			}
		}
		if err != nil {
			return
		}
		checkInvariants(t, s)
		NewGraph(s) // must not panic on any loadable snapshot either
	})
}
