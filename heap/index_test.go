package heap

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Every field of Graph and Snapshot (and of the structs they hold by
// value) is a column of the index, or listed here as rebuilt on re-open.
// A column added to the graph without a line in index_columns.go fails.
func TestIndexCoversEveryField(t *testing.T) {
	// special and src are rebuilt by parseGraphIndex; clock lives only while NewGraph runs.
	notStored := map[string]bool{"special": true, "src": true, "clock": true}
	names := map[string]bool{}
	for _, c := range indexColumns(&Graph{Snapshot: &Snapshot{}}) {
		if names[c.name] {
			t.Errorf("column %s twice", c.name)
		}
		names[c.name] = true
	}
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			name := prefix + f.Name
			switch {
			case f.Anonymous && f.Type == reflect.TypeFor[*Snapshot]():
				walk("", f.Type.Elem())
			case notStored[name]:
			case f.Type.Kind() == reflect.Struct:
				walk(name+".", f.Type)
			case f.Type.Kind() == reflect.Map:
				if !names[name+".keys"] || !names[name+".values"] {
					t.Errorf("map field %s is not in indexColumns", name)
				}
			case !names[name]:
				t.Errorf("field %s is not in indexColumns (add a line there, or say why it is rebuilt)", name)
			}
		}
	}
	walk("", reflect.TypeFor[Graph]())
}

// Columns are written as raw memory and used in place from a mapping:
// their elements must hold no pointers, and have a size.
func TestIndexColumnsPointerFree(t *testing.T) {
	var hasPointers func(reflect.Type) bool
	hasPointers = func(typ reflect.Type) bool {
		switch typ.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.String, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
			return true
		case reflect.Array:
			return hasPointers(typ.Elem())
		case reflect.Struct:
			for i := range typ.NumField() {
				if hasPointers(typ.Field(i).Type) {
					return true
				}
			}
		}
		return false
	}
	for _, c := range indexColumns(&Graph{Snapshot: &Snapshot{}}) {
		if c.elem <= 0 || hasPointers(c.typ) {
			t.Errorf("column %s: element %v (%d bytes) cannot be stored raw", c.name, c.typ, c.elem)
		}
	}
}

// indexFixtures are real snapshots covering what the columns hold:
// allocation traces (TraceNodes, TraceFunctions), locations, WeakMaps,
// a control without leaks, and a Node 26 snapshot.
func indexFixtures(t *testing.T) []string {
	fx := fixturesDir(t)
	return []string{
		filepath.Join(fx, "snapshots", "a-timers-als.tracked.heapsnapshot.gz"),
		filepath.Join(fx, "snapshots", "e-ts-awaiter.heapsnapshot.gz"),
		filepath.Join(fx, "snapshots", "g-control.heapsnapshot.gz"),
		filepath.Join("testdata", "devtools", "mixed-node26.12.1.heapsnapshot.gz"),
	}
}

// newTestIndex is an empty cache in a test directory.
func newTestIndex(t *testing.T) *IndexCache {
	return NewIndexCache(filepath.Join(t.TempDir(), "index"), 1<<30)
}

// Re-opened from its index, every column of the graph equals a fresh
// parse's, and so do the suspects and the site table computed on it.
func TestIndexRoundTrip(t *testing.T) {
	for _, path := range indexFixtures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			fresh := NewGraph(openSnapshot(t, path))
			c := newTestIndex(t)
			k, err := keyOf(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.storeGraph(k, fresh, nil); err != nil {
				t.Fatal(err)
			}
			_, err = onMappedGraph(c, k, func(g *Graph) (struct{}, error) {
				compareGraphs(t, fresh, g)
				compareJSON(t, "suspects", Analyze(fresh.Snapshot, AnalyzeOptions{Graph: fresh}), Analyze(g.Snapshot, AnalyzeOptions{Graph: g}))
				so := SitesOptions{MinCount: 5, Paths: 3, PathSites: 50}
				compareJSON(t, "sites", Sites(fresh, so), Sites(g, so))
				return struct{}{}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func compareGraphs(t *testing.T, want, got *Graph) {
	t.Helper()
	wc, gc := indexColumns(want), indexColumns(got)
	for i := range wc {
		if w, g := wc[i].data(), gc[i].data(); !bytes.Equal(w, g) {
			t.Errorf("column %s: %d bytes re-opened, %d fresh, or different", wc[i].name, len(g), len(w))
		}
	}
	if !reflect.DeepEqual(want.special, got.special) {
		t.Errorf("special strings differ: %+v, fresh %+v", got.special, want.special)
	}
	if len(want.TraceNodes) != len(got.TraceNodes) || len(want.TraceNodes) > 0 && !reflect.DeepEqual(want.TraceNodes, got.TraceNodes) {
		t.Errorf("TraceNodes: %d re-opened, %d fresh", len(got.TraceNodes), len(want.TraceNodes))
	}
}

func compareJSON(t *testing.T, what string, want, got any) {
	t.Helper()
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w, g) {
		t.Errorf("%s differ:\nre-opened %.600s\nfresh     %.600s", what, g, w)
	}
}

// countingRun is a CachedRun of the suspects that counts what it did.
type countingRun struct {
	parses, computes, flushes int
	base                      string
}

func (r *countingRun) run(t *testing.T, c *IndexCache, path string) ([]Suspect, error) {
	t.Helper()
	var baseline *Baseline
	res, flush, err := CachedRun[[]Suspect]{
		Path:        path,
		Baseline:    r.base,
		Fingerprint: "test suspects",
		Prepare: func() (err error) {
			if r.base != "" {
				baseline, err = BaselineCached(c, r.base, func() (*Snapshot, error) { return Open(r.base, LoadOptions{}) })
			}
			return err
		},
		Parse: func() (*Snapshot, error) { r.parses++; return Open(path, LoadOptions{}) },
		Compute: func(g *Graph) ([]Suspect, error) {
			r.computes++
			return Analyze(g.Snapshot, AnalyzeOptions{Graph: g, Baseline: baseline}), nil
		},
		Log: func(msg string) { t.Log(msg) },
	}.Run(c)
	if flush != nil {
		r.flushes++
		flush()
	}
	return res, err
}

// copyFixture copies a fixture into a test directory, so that its mtime
// and bytes can change.
func copyFixture(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// The three ways of CachedRun: parse and write, the results file (no
// parse, no analysis), the graph index (analysis, no parse); and a
// touched snapshot is parsed again.
func TestCachedRunReuses(t *testing.T) {
	path := copyFixture(t, filepath.Join(fixturesDir(t), "snapshots", "a-timers-als.heapsnapshot.gz"))
	want := Analyze(openSnapshot(t, path), AnalyzeOptions{})
	if len(want) == 0 {
		t.Fatal("fixture without suspects")
	}
	c := newTestIndex(t)
	r := &countingRun{}
	step := func(name string, parses, computes int) {
		t.Helper()
		got, err := r.run(t, c, path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		compareJSON(t, name, want, got)
		if r.parses != parses || r.computes != computes {
			t.Errorf("%s: %d parses, %d analyses; want %d, %d", name, r.parses, r.computes, parses, computes)
		}
		if r.flushes != parses { // a graph index to write after each parse, and only then
			t.Errorf("%s: %d index writes after %d parses", name, r.flushes, parses)
		}
	}
	step("first open", 1, 1)
	step("re-open", 1, 1) // the results file
	removeGlob(t, c.dir, "*"+resultsExt)
	step("re-open without results", 1, 2) // the graph index
	step("re-open after that", 1, 2)      // which wrote the results again
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	step("touched", 2, 3)
	if n := len(globT(t, c.dir, "*")); n != 2 {
		t.Errorf("%d files in the cache, want the new index and results (the old ones evicted)", n)
	}
}

// A byte changed in the snapshot's header or tail with its size and mtime
// kept is a different snapshot: here the gzip trailer's CRC-32, whose
// error must come back, not the cached suspects. (The key hashes the
// first and last keyEdge bytes; a change only in between, with size and
// mtime restored, is not seen: no editor or tool writes files that way.)
func TestCachedRunSameMtimeNewBytes(t *testing.T) {
	path := copyFixture(t, filepath.Join(fixturesDir(t), "snapshots", "g-control.heapsnapshot.gz"))
	c := newTestIndex(t)
	r := &countingRun{}
	if _, err := r.run(t, c, path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-8] ^= 0xff // the trailer: CRC-32, then the size
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if _, err := r.run(t, c, path); err == nil || r.parses != 2 {
		t.Fatalf("changed snapshot: err %v after %d parses, want a load error from a second parse", err, r.parses)
	}
}

// With a baseline, the results depend on it: another baseline is another
// result, and the baseline's own graph index is used for its summary.
func TestCachedRunBaseline(t *testing.T) {
	dir := filepath.Join("testdata", "snapshots")
	base, target := filepath.Join(dir, "growth-baseline.heapsnapshot.gz"), filepath.Join(dir, "growth-target.heapsnapshot.gz")
	want := Analyze(openSnapshot(t, target), AnalyzeOptions{Baseline: NewBaseline(openSnapshot(t, base))})
	if !hasCode(want, CodeGrowth) {
		t.Fatal("fixture pair without growth suspects")
	}
	c := newTestIndex(t)
	alone := &countingRun{}
	if _, err := alone.run(t, c, base); err != nil { // indexes the baseline
		t.Fatal(err)
	}
	r := &countingRun{base: base}
	for _, name := range []string{"compare", "compare again"} {
		got, err := r.run(t, c, target)
		if err != nil {
			t.Fatal(err)
		}
		compareJSON(t, name, want, got)
	}
	if r.parses != 1 || r.computes != 1 {
		t.Errorf("%d parses, %d analyses; want 1, 1", r.parses, r.computes)
	}
	plain, err := (&countingRun{}).run(t, c, target)
	if err != nil {
		t.Fatal(err)
	}
	if hasCode(plain, CodeGrowth) {
		t.Error("the results without a baseline have growth suspects: the baseline's results were reused")
	}
}

func hasCode(sus []Suspect, code string) bool {
	for _, s := range sus {
		if s.Code == code {
			return true
		}
	}
	return false
}

func globT(t *testing.T, dir, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func removeGlob(t *testing.T, dir, pattern string) {
	t.Helper()
	for _, p := range globT(t, dir, pattern) {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
	}
}

func TestParseByteSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "1000": 1000, "8G": 8 << 30, "500M": 500 << 20, "2kb": 2 << 10, " 3 GB ": 3 << 30} {
		if got, err := parseByteSize(in); err != nil || got != want {
			t.Errorf("parseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "G", "-1", "1.5G", "lots", "99999999999T"} {
		if _, err := parseByteSize(in); err == nil {
			t.Errorf("parseByteSize(%q) accepted", in)
		}
	}
}

func TestDefaultIndexCacheEnv(t *testing.T) {
	t.Setenv("LEAKLSP_INDEX_DIR", "off")
	if c, err := DefaultIndexCache(); c != nil || err != nil {
		t.Errorf("LEAKLSP_INDEX_DIR=off: %v, %v", c, err)
	}
	dir := t.TempDir()
	t.Setenv("LEAKLSP_INDEX_DIR", dir)
	t.Setenv("LEAKLSP_INDEX_MAX", "2G")
	if c, err := DefaultIndexCache(); err != nil || c.dir != dir || c.max != 2<<30 {
		t.Errorf("DefaultIndexCache() = %+v, %v", c, err)
	}
	t.Setenv("LEAKLSP_INDEX_MAX", "big")
	if _, err := DefaultIndexCache(); err == nil || !strings.Contains(err.Error(), "LEAKLSP_INDEX_MAX") {
		t.Errorf("bad LEAKLSP_INDEX_MAX: %v", err)
	}
}

// The cache stays under its bound by dropping the least recently used
// files, and never writes an index larger than the bound.
func TestIndexCacheEviction(t *testing.T) {
	fx := fixturesDir(t)
	a := filepath.Join(fx, "snapshots", "g-control.heapsnapshot.gz")
	b := filepath.Join(fx, "snapshots", "e-ts-awaiter.heapsnapshot.gz")
	ga, gb := NewGraph(openSnapshot(t, a)), NewGraph(openSnapshot(t, b))
	ka, _ := keyOf(a)
	kb, _ := keyOf(b)
	big := newTestIndex(t)
	if err := big.storeGraph(ka, ga, nil); err != nil {
		t.Fatal(err)
	}
	if err := big.storeGraph(kb, gb, nil); err != nil {
		t.Fatal(err)
	}
	sa, sb := fileSize(t, big.file(ka.stem+graphExt)), fileSize(t, big.file(kb.stem+graphExt))

	c := NewIndexCache(t.TempDir(), max(sa, sb)+min(sa, sb)/2) // room for one
	if err := c.storeGraph(ka, ga, nil); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(c.file(ka.stem+graphExt), old, old)
	if err := c.storeGraph(kb, gb, nil); err != nil {
		t.Fatal(err)
	}
	if got := globT(t, c.dir, "*"+graphExt); len(got) != 1 || filepath.Base(got[0]) != kb.stem+graphExt {
		t.Errorf("after a second index in room for one: %v", got)
	}
	tiny := NewIndexCache(t.TempDir(), sa/2)
	if err := tiny.storeGraph(ka, ga, nil); !errors.Is(err, errIndexTooBig) {
		t.Errorf("index over the bound: %v", err)
	}
}

func fileSize(t testing.TB, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// The control snapshot (no leak) is re-opened from its results too: an
// empty result is a result.
func TestCachedRunControl(t *testing.T) {
	path := filepath.Join(fixturesDir(t), "snapshots", "g-control.heapsnapshot.gz")
	want := Analyze(openSnapshot(t, path), AnalyzeOptions{})
	c := newTestIndex(t)
	r := &countingRun{}
	for range 2 {
		got, err := r.run(t, c, path)
		if err != nil {
			t.Fatal(err)
		}
		compareJSON(t, "control", want, got)
	}
	if r.parses != 1 || r.computes != 1 {
		t.Errorf("%d parses, %d analyses; want 1, 1", r.parses, r.computes)
	}
}
