package heap

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// manifestSnapshot is the part of the fixtures' manifest.json the loader
// tests check against (ground truth measured by the fixture generator).
type manifestSnapshot struct {
	File                  string `json:"file"`
	Scenario              string `json:"scenario"`
	UncompressedSizeBytes int64  `json:"uncompressed_size_bytes"`
	AllocationTracking    bool   `json:"allocation_tracking"`
	Meta                  struct {
		NodeCount          int `json:"node_count"`
		EdgeCount          int `json:"edge_count"`
		StringCount        int `json:"string_count"`
		TraceFunctionCount int `json:"trace_function_count"`
		LocationCount      int `json:"location_count"`
	} `json:"meta"`
	GroundTruth struct {
		Groups []manifestGroup `json:"groups"`
	} `json:"ground_truth"`
}

type manifestGroup struct {
	ID       string `json:"id"`
	Measured struct {
		Count         int   `json:"count"`
		SelfSizeTotal int64 `json:"self_size_total"`
	} `json:"measured"`
}

// group returns the ground-truth group with the given id (zero if absent).
func (m *manifestSnapshot) group(id string) manifestGroup {
	for _, g := range m.GroundTruth.Groups {
		if g.ID == id {
			return g
		}
	}
	return manifestGroup{}
}

func manifestSnapshots(t testing.TB) (string, []manifestSnapshot) {
	t.Helper()
	dir := fixturesDir(t)
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Snapshots []manifestSnapshot }
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Snapshots) == 0 {
		t.Fatal("manifest lists no snapshots")
	}
	return dir, m.Snapshots
}

func TestLoadFixtures(t *testing.T) {
	dir, snaps := manifestSnapshots(t)
	for _, ms := range snaps {
		t.Run(filepath.Base(ms.File), func(t *testing.T) {
			var calls int
			var last, lastTotal int64
			s, err := Open(filepath.Join(dir, ms.File), LoadOptions{Progress: func(done, total int64) {
				calls++
				if done < last {
					t.Errorf("progress went backwards: %d after %d", done, last)
				}
				last, lastTotal = done, total
			}})
			if err != nil {
				t.Fatal(err)
			}
			fi, _ := os.Stat(filepath.Join(dir, ms.File))
			if calls == 0 || last != fi.Size() || lastTotal != fi.Size() {
				t.Errorf("progress: %d calls, last %d/%d, want compressed size %d", calls, last, lastTotal, fi.Size())
			}
			m := ms.Meta
			checkCount(t, "nodes", s.NodeCount(), m.NodeCount)
			checkCount(t, "edges", s.EdgeCount(), m.EdgeCount)
			checkCount(t, "strings", s.Strings.Len(), m.StringCount)
			checkCount(t, "trace functions", len(s.TraceFunctions), m.TraceFunctionCount)
			checkCount(t, "locations", len(s.Locations), m.LocationCount)
			checkInvariants(t, s)
			if s.Strings.Get(0) != "<dummy>" {
				t.Errorf("strings[0] = %q, want <dummy>", s.Strings.Get(0))
			}
			if ms.AllocationTracking != (s.TraceIDs != nil) || ms.AllocationTracking != (len(s.TraceNodes) > 0) {
				t.Errorf("allocation tracking %v but TraceIDs set %v, %d trace nodes", ms.AllocationTracking, s.TraceIDs != nil, len(s.TraceNodes))
			}
			checkRootShape(t, s)
		})
	}
}

func checkCount(t *testing.T, what string, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %d, want %d", what, got, want)
	}
}

// checkInvariants checks what every loaded snapshot must satisfy.
func checkInvariants(t *testing.T, s *Snapshot) {
	t.Helper()
	n, m := s.NodeCount(), s.EdgeCount()
	for _, col := range [][]uint32{s.NodeNames, s.NodeIDs, s.SelfSizes} {
		if len(col) != n {
			t.Fatalf("node column length %d, want %d", len(col), n)
		}
	}
	if s.TraceIDs != nil && len(s.TraceIDs) != n {
		t.Fatalf("TraceIDs length %d, want %d", len(s.TraceIDs), n)
	}
	if len(s.FirstEdge) != n+1 || s.FirstEdge[0] != 0 || int(s.FirstEdge[n]) != m {
		t.Fatalf("FirstEdge: len %d, [0]=%d, [N]=%d, want len %d and [N]=%d", len(s.FirstEdge), s.FirstEdge[0], s.FirstEdge[len(s.FirstEdge)-1], n+1, m)
	}
	if !slices.IsSorted(s.FirstEdge) {
		t.Error("FirstEdge not monotonic")
	}
	if s.EdgeNames.Len() != m || len(s.Edges) != m {
		t.Fatal("edge column lengths differ")
	}
	for e := range uint32(m) {
		if to := s.EdgeTo(e); int(to) >= n {
			t.Fatalf("edge %d: to %d out of range", e, to)
		}
		if k := s.EdgeKind(e); k > EdgeWeak {
			t.Fatalf("edge %d: kind %d out of range", e, k)
		}
	}
	for e := range uint32(m) {
		if k := s.EdgeKind(e); k != EdgeElement && k != EdgeHidden && int(s.EdgeNameOrIndex(e)) >= s.Strings.Len() {
			t.Fatalf("edge %d: name %d out of range", e, s.EdgeNameOrIndex(e))
		}
	}
	if !slices.IsSortedFunc(s.Locations, func(a, b Location) int { return int(a.Node) - int(b.Node) }) {
		t.Error("locations not sorted by node")
	}
	for _, l := range s.Locations {
		if int(l.Node) >= n {
			t.Fatalf("location node %d out of range", l.Node)
		}
	}
	if !utf8.Valid(s.Strings.Arena) {
		t.Error("string arena is not valid UTF-8")
	}
	for _, id := range s.TraceIDs {
		if _, ok := s.TraceNodes[id]; id != 0 && !ok {
			t.Fatalf("trace id %d not in the trace tree", id)
		}
	}
	for id, tn := range s.TraceNodes {
		if int(tn.Function) >= len(s.TraceFunctions) {
			t.Fatalf("trace node %d: function %d out of range", id, tn.Function)
		}
		if _, ok := s.TraceNodes[tn.Parent]; tn.Parent != 0 && !ok {
			t.Fatalf("trace node %d: parent %d missing", id, tn.Parent)
		}
	}
}

// checkRootShape checks the V8 root structure (heapsnapshot.md §1): a
// synthetic root with an element edge to "(GC roots)" and a shortcut to the
// user global.
func checkRootShape(t *testing.T, s *Snapshot) {
	t.Helper()
	r := s.RootIndex
	if s.NodeKinds[r] != NodeSynthetic || s.Name(r) != "" {
		t.Fatalf("root is %v %q, want synthetic ''", s.NodeKinds[r], s.Name(r))
	}
	var gcRoots, global bool
	for e := s.FirstEdge[r]; e < s.FirstEdge[r+1]; e++ {
		to := s.EdgeTo(e)
		switch {
		case s.EdgeKind(e) == EdgeElement && s.Name(to) == "(GC roots)" && s.NodeKinds[to] == NodeSynthetic:
			gcRoots = true
		case s.EdgeKind(e) == EdgeShortcut && s.Name(to) == "global" && s.NodeKinds[to] == NodeObject:
			global = true
		}
	}
	if !gcRoots || !global {
		t.Errorf("root edges: (GC roots) %v, global %v", gcRoots, global)
	}
}

// TestLoadPlainEqualsGzip loads the same fixture compressed and plain
// (through a reader that returns few bytes per call, to cross buffer
// boundaries everywhere) and expects identical snapshots.
func TestLoadPlainEqualsGzip(t *testing.T) {
	dir, snaps := manifestSnapshots(t)
	path := filepath.Join(dir, snaps[1].File)
	gz, err := Open(path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	plain := gunzipFile(t, path)
	if int64(len(plain)) != snaps[1].UncompressedSizeBytes {
		t.Fatalf("decompressed %d bytes, manifest says %d", len(plain), snaps[1].UncompressedSizeBytes)
	}
	s, err := Load(&trickleReader{data: plain, step: 7919}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, gz) {
		t.Error("plain and gzip loads differ")
	}
}

func gunzipFile(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// trickleReader returns at most step bytes per Read.
type trickleReader struct {
	data []byte
	step int
}

func (r *trickleReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.step)], r.data)
	r.data = r.data[n:]
	return n, nil
}

func readTiny(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "tiny.heapsnapshot"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestLoadTiny checks every decoded value of the hand-written snapshot
// testdata/tiny.heapsnapshot: no detachedness field, an unknown node type,
// an unknown section with nested values, escapes, surrogates, unsorted
// locations and a trace tree.
func TestLoadTiny(t *testing.T) {
	for _, step := range []int{1, 3, 1 << 20} {
		s, err := Load(&trickleReader{data: readTiny(t), step: step}, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, s)
		want := &Snapshot{
			NodeKinds: []NodeKind{NodeSynthetic, NodeSynthetic, NodeObject, NodeObject, NodeClosure, NodeUnknown},
			NodeNames: []uint32{13, 1, 2, 3, 4, 5},
			NodeIDs:   []uint32{1, 3, 5, 7, 9, 11},
			SelfSizes: []uint32{0, 0, 40, 100, 32, 8},
			TraceIDs:  []uint32{0, 0, 2, 3, 3, 0},
			FirstEdge: []uint32{0, 2, 3, 5, 6, 7, 7},
			EdgeNames: uintsOf([]uint32{1, 6, 0, 7, 3, 8, 9}),
			Edges: []uint32{packEdge(1, EdgeElement), packEdge(2, EdgeShortcut), packEdge(2, EdgeElement), packEdge(3, EdgeProperty),
				packEdge(4, EdgeWeak), packEdge(4, EdgeInternal), packEdge(5, EdgeWeak)},
			Locations: []Location{{Node: 3, ScriptID: 3, Line: 5, Column: 2}, {Node: 4, ScriptID: 3, Line: 1, Column: 19}},
			TraceFunctions: []TraceFunction{
				{Name: 10},
				{FunctionID: 11, Name: 4, ScriptName: 12, ScriptID: 3, Line: 2, Column: 20},
			},
			TraceNodes: map[uint32]TraceNode{1: {}, 2: {Parent: 1, Function: 1}, 3: {Parent: 1, Function: 1}},
			Title:      "tiny",
		}
		got := *s
		got.Strings = Strings{}
		if !reflect.DeepEqual(&got, want) {
			t.Errorf("step %d:\n got %+v\nwant %+v", step, &got, want)
		}
		wantStrings := []string{"<dummy>", "(GC roots)", "global", "Objéct", "😀fn", "lone\uFFFDx", "2", "prop",
			"self", "weakref", "(root)", "worker", `/app/"q\.js`, ""}
		var gotStrings []string
		for i := range s.Strings.Len() {
			gotStrings = append(gotStrings, s.Strings.Get(uint32(i)))
		}
		if !slices.Equal(gotStrings, wantStrings) {
			t.Errorf("strings:\n got %q\nwant %q", gotStrings, wantStrings)
		}
		if s.EdgeName(1) != "2" || s.EdgeName(2) != "0" || s.Name(3) != "Objéct" {
			t.Errorf("names: %q %q %q", s.EdgeName(1), s.EdgeName(2), s.Name(3))
		}
	}
}

func TestLoadStringEscapes(t *testing.T) {
	cases := map[string]string{
		`"plain"`:                  "plain",
		`"a\"b\\c\/d"`:             `a"b\c/d`,
		`"\b\f\n\r\t"`:             "\b\f\n\r\t",
		`"\u0041\u00e9\u4e2d"`:     "Aé中",
		`"\uD83D\uDE00"`:           "😀",
		`"\ud83d"`:                 "\uFFFD",
		`"\ude00x"`:                "\uFFFDx",
		`"\ud83d\ud83d\ude00"`:     "\uFFFD😀",
		`"\ud83dx"`:                "\uFFFDx",
		`"\ud83d\n"`:               "\uFFFD\n",
		`"raw é and \xff byte"`:    "raw é and \uFFFD byte",
		`"\uF600 (V8 truncation)"`: "\uF600 (V8 truncation)",
	}
	for in, want := range cases {
		in = strings.ReplaceAll(in, `\xff`, "\xff")
		sc := newScanner(strings.NewReader(in), 0)
		got, err := sc.str(nil)
		if err != nil || string(got) != want {
			t.Errorf("%s: got %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`"abc`, `"\x"`, `"\u12"`, `"\u12G4"`, "\"a\nb\"", `abc`} {
		if _, err := newScanner(strings.NewReader(bad), 0).str(nil); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestLoadErrors checks that malformed input yields an error that names
// the byte offset and what was expected.
func TestLoadErrors(t *testing.T) {
	tiny := string(readTiny(t))
	replace := func(old, new string) string {
		if !strings.Contains(tiny, old) {
			t.Fatalf("tiny snapshot lacks %q", old)
		}
		return strings.Replace(tiny, old, new, 1)
	}
	cases := []struct{ name, input, want string }{
		{"empty", "", "not a heap snapshot: the input is empty"},
		{"not json", "hello", "not a heap snapshot: it starts with 'h', not with a JSON object"},
		{"random bytes", "8\x9f\x00\xff", "not a heap snapshot: it starts with '8', not with a JSON object"},
		{"binary", "\x89PNG\r\n", "not a heap snapshot: it starts with byte 0x89"},
		{"json but not a snapshot", `{"a":1}`, `not a heap snapshot: a JSON object without the "snapshot" header`},
		{"truncated", tiny[:len(tiny)/2], "got end of input: the snapshot is truncated"},
		{"bad separator in edges", replace(",3,8,24", ",3,8x24"), `expected ',' or ']' in "edges", got 'x'`},
		{"negative number", replace(",16,5,11,8,0,0", ",16,5,11,-8,0,0"), `expected unsigned integer in "nodes", got '-'`},
		{"node count mismatch", replace(`"node_count":6`, `"node_count":7`), `"nodes" has 6 records, header node_count is 7`},
		{"too many nodes", replace(`"node_count":6`, `"node_count":5`), `more than the 5 records`},
		{"edge count mismatch", replace(`"edge_count":7`, `"edge_count":8`), "edge_count values sum to 7, header edge_count is 8"},
		{"partial record", replace(",16,5,11,8,0,0]", ",16,5,11,8,0]"), "not a multiple of 6 fields"},
		{"to_node not divisible", replace(",3,8,24", ",3,8,25"), "to_node 25 is not a node index"},
		{"to_node out of range", replace(",3,8,24", ",3,8,36"), "to_node 36 is not a node index"},
		{"node type out of range", replace(",16,5,11,8", ",17,5,11,8"), "type 17 out of range"},
		{"edge type out of range", replace("[1,1,6", "[7,1,6"), "type 7 out of range"},
		{"string index out of range", replace(",2,7,18", ",2,99,18"), "edge name index 99 out of range"},
		{"number too large", replace(",3,8,24", ",3,8,123456789012345678901"), "number too large"},
		{"value exceeds uint32", replace(",9,1,3,0", ",9,1,4294967296,0"), "exceeds 2^32-1"},
		{"missing field", replace(`"self_size",`, `"size",`), `meta.node_fields lacks "self_size"`},
		{"header types", replace(`"node_count":6`, `"node_count":"6"`), "invalid \"snapshot\" header"},
		{"header not object", replace(`{"snapshot":{"meta"`, `{"snapshot":1,"x":{"meta"`), "invalid \"snapshot\" header"},
		{"nodes before header", `{"nodes":[]}`, `section "nodes" before "snapshot"`},
		{"duplicate section", replace(`"samples":[],`, `"samples":[],"samples":[],`), `duplicate section "samples"`},
		{"trailing garbage", tiny + "x", "expected end of input after the snapshot object, got 'x'"},
		{"unterminated string", replace(`"weakref"`, `"weakref`), "expected ',' or ']' in \"strings\""},
		{"unbalanced unknown", replace(`"c":null}`, `"c":null]`), "unbalanced ']'"},
		{"bad trace tree", replace(`132,[]]]`, `132,[],]]`), "trace_tree"},
		{"root_index not a node", replace(`"title":"tiny"`, `"title":"tiny","root_index":5`), "root_index 5 is not a node index"},
		{"bad location", replace("[24,3,1,19", "[25,3,1,19"), "location 0: object_index 25"},
		{"trace function index", replace(`132,[]]]`, `132,[4,9,1,1,[]]]]`), "function_info_index 9 out of range"},
		{"trace function count", replace(`"trace_function_count":2`, `"trace_function_count":3`), "trace_function_count is 3"},
	}
	for _, c := range cases {
		_, err := Load(strings.NewReader(c.input), LoadOptions{Size: int64(len(c.input))})
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if strings.Contains(c.want, "not a heap snapshot") != errors.Is(err, ErrNotSnapshot) {
			t.Errorf("%s: errors.Is(%q, ErrNotSnapshot) = %v", c.name, err, errors.Is(err, ErrNotSnapshot))
		}
		if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "heapsnapshot: ") {
			t.Errorf("%s: error %q, want it to contain %q", c.name, err, c.want)
		}
	}
}

// TestLoadEveryPrefix cuts the tiny snapshot at every byte: each prefix
// must fail with a positioned error, never panic.
func TestLoadEveryPrefix(t *testing.T) {
	tiny := readTiny(t)
	for n := range len(bytes.TrimSpace(tiny)) {
		_, err := Load(bytes.NewReader(tiny[:n]), LoadOptions{Size: int64(n)})
		var se *SyntaxError
		if err == nil || (!errors.As(err, &se) && !strings.Contains(err.Error(), "missing") && !errors.Is(err, ErrNotSnapshot)) {
			t.Fatalf("prefix %d: got %v, want a SyntaxError", n, err)
		}
	}
}

func TestLoadGzipErrors(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(readTiny(t))
	zw.Close()
	if _, err := Load(bytes.NewReader(buf.Bytes()), LoadOptions{}); err != nil {
		t.Fatalf("gzip tiny: %v", err)
	}
	if _, err := Load(bytes.NewReader(buf.Bytes()[:buf.Len()-10]), LoadOptions{}); err == nil {
		t.Error("gzip without its trailer: no error")
	}
	cut := buf.Bytes()[:buf.Len()/2]
	if _, err := Load(bytes.NewReader(cut), LoadOptions{}); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("truncated gzip: %v, want an error that says so", err)
	}
	if _, err := Load(bytes.NewReader([]byte{0x1f, 0x8b, 0}), LoadOptions{}); err == nil || !strings.Contains(err.Error(), "gzip") {
		t.Errorf("bad gzip header: %v", err)
	}
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// TestDivider checks the multiply-based division used for to_node against
// the hardware divide over the range node indexes can take.
func TestDivider(t *testing.T) {
	for d := uint64(1); d <= 64; d++ {
		v := newDivider(d)
		for _, x := range []uint64{0, 1, d - 1, d, d + 1, 1<<32 - 1, 1 << 32, (1<<32 - 1) * d, (1<<32-1)*d + d - 1} {
			if got := v.div(x); got != x/d {
				t.Fatalf("%d / %d = %d, want %d", x, d, got, x/d)
			}
		}
		for x := uint64(12345); x < 1<<38; x = x*3 + 7 {
			if got := v.div(x); got != x/d {
				t.Fatalf("%d / %d = %d, want %d", x, d, got, x/d)
			}
		}
	}
}

// A closed Cancel stops the load with ErrCanceled, plain or gzip.
func TestLoadCancel(t *testing.T) {
	tiny := readTiny(t)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(tiny)
	zw.Close()
	stop := make(chan struct{})
	close(stop)
	for name, in := range map[string][]byte{"plain": tiny, "gzip": gz.Bytes()} {
		_, err := Load(bytes.NewReader(in), LoadOptions{Cancel: stop})
		if !errors.Is(err, ErrCanceled) {
			t.Errorf("%s: %v, want ErrCanceled", name, err)
		}
		if _, err := Load(bytes.NewReader(in), LoadOptions{Cancel: make(chan struct{})}); err != nil {
			t.Errorf("%s with an open Cancel: %v", name, err)
		}
	}
}

// A Size smaller than the input (a stream, a file still growing after its
// stat) only bounds preallocation: the load must still succeed.
func TestLoadSizeUnderstated(t *testing.T) {
	tiny := readTiny(t)
	want, err := Load(bytes.NewReader(tiny), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int64{1, 3, int64(len(tiny) / 2)} {
		got, err := Load(bytes.NewReader(tiny), LoadOptions{Size: size})
		if err != nil {
			t.Fatalf("Size %d: %v", size, err)
		}
		if got.NodeCount() != want.NodeCount() || len(got.TraceIDs) != len(want.TraceIDs) {
			t.Fatalf("Size %d: %d nodes, %d trace ids; want %d, %d", size, got.NodeCount(), len(got.TraceIDs), want.NodeCount(), len(want.TraceIDs))
		}
	}
}
