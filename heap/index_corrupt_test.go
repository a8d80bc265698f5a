package heap

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// indexedFixture is a fixture copied into a test directory, its cache with
// a graph index and results written by a first run, and that run's
// suspects.
type indexedFixture struct {
	path  string
	c     *IndexCache
	k     indexKey
	graph []byte // the graph index file's bytes
	want  []Suspect
}

func newIndexedFixture(t *testing.T) *indexedFixture {
	t.Helper()
	f := &indexedFixture{path: copyFixture(t, filepath.Join(fixturesDir(t), "snapshots", "c-async-recursion.heapsnapshot.gz")), c: newTestIndex(t)}
	var err error
	if f.want, err = (&countingRun{}).run(t, f.c, f.path); err != nil {
		t.Fatal(err)
	}
	if len(f.want) == 0 {
		t.Fatal("fixture without suspects")
	}
	if f.k, err = keyOf(f.path); err != nil {
		t.Fatal(err)
	}
	if f.graph, err = os.ReadFile(f.graphFile()); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *indexedFixture) graphFile() string { return f.c.file(f.k.stem + graphExt) }

// damage is one way an index file goes bad.
type damage struct {
	name string
	edit func(b []byte) []byte
}

// damages flips a byte of every part of the file (the prefix's fields,
// the metadata, the first and last byte of each section) and cuts it.
func damages(t *testing.T, b []byte) []damage {
	metaOff := int64(binary.LittleEndian.Uint64(b[16:]))
	var m indexMeta
	if err := json.Unmarshal(b[metaOff:], &m); err != nil {
		t.Fatal(err)
	}
	flip := func(off int64) func([]byte) []byte {
		return func(b []byte) []byte { b[off] ^= 0x20; return b }
	}
	cut := func(n int64) func([]byte) []byte { return func(b []byte) []byte { return b[:n] } }
	ds := []damage{
		{"magic", flip(0)},
		{"version", func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], indexVersion+1); return b }},
		{"byte order", flip(12)},
		{"metadata offset", flip(16)},
		{"metadata length", flip(24)},
		{"metadata checksum", flip(28)},
		{"metadata", flip(metaOff + 10)},
		{"metadata end", flip(int64(len(b)) - 2)},
		{"appended", func(b []byte) []byte { return append(b, 0) }},
	}
	for _, n := range []int64{0, 1, indexPrefix - 1, indexPrefix, indexAlign, int64(len(b)) / 2, metaOff, int64(len(b)) - 1} {
		ds = append(ds, damage{fmt.Sprintf("cut at %d", n), cut(n)})
	}
	for _, s := range m.Sections {
		if s.Len > 0 {
			ds = append(ds, damage{s.Name + " first byte", flip(s.Off)}, damage{s.Name + " last byte", flip(s.Off + s.Len - 1)})
		}
	}
	return ds
}

// Every damaged graph index is refused by openGraph, and the run falls
// back to parsing with the same suspects.
func TestIndexDamagedGraph(t *testing.T) {
	f := newIndexedFixture(t)
	removeGlob(t, f.c.dir, "*"+resultsExt) // so that runs take the graph index
	for i, d := range damages(t, bytes.Clone(f.graph)) {
		if err := os.WriteFile(f.graphFile(), d.edit(bytes.Clone(f.graph)), 0o644); err != nil {
			t.Fatal(err)
		}
		if g, release, err := f.c.openGraph(f.k); err == nil {
			release()
			t.Errorf("%s: damaged index opened (%d nodes)", d.name, g.NodeCount())
			continue
		}
		if i%8 != 0 { // a full fallback run for every eighth: it parses
			continue
		}
		r := &countingRun{}
		got, err := r.run(t, f.c, f.path)
		if err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		compareJSON(t, d.name, f.want, got)
		if r.parses != 1 {
			t.Errorf("%s: %d parses, want 1", d.name, r.parses)
		}
		removeGlob(t, f.c.dir, "*"+resultsExt)
	}
}

// A damaged results file is not used: the graph index is.
func TestIndexDamagedResults(t *testing.T) {
	f := newIndexedFixture(t)
	res := globT(t, f.c.dir, "*"+resultsExt)
	if len(res) != 1 {
		t.Fatalf("results files: %v", res)
	}
	good, err := os.ReadFile(res[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range damages(t, bytes.Clone(good)) {
		if err := os.WriteFile(res[0], d.edit(bytes.Clone(good)), 0o644); err != nil {
			t.Fatal(err)
		}
		r := &countingRun{}
		got, err := r.run(t, f.c, f.path)
		if err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		compareJSON(t, d.name, f.want, got)
		if r.parses != 0 || r.computes != 1 {
			t.Errorf("%s: %d parses, %d analyses; want 0, 1 (the graph index)", d.name, r.parses, r.computes)
		}
	}
}

// An index written by another build of leaklsp is not read, even under
// this build's file name.
func TestIndexOtherBuild(t *testing.T) {
	f := newIndexedFixture(t)
	saved := buildIdentity
	t.Cleanup(func() { buildIdentity = saved })
	buildIdentity = func() string { return "another build" }
	k2, err := keyOf(f.path)
	if err != nil {
		t.Fatal(err)
	}
	if k2.stem == f.k.stem || k2.path != f.k.path {
		t.Fatalf("keys %q and %q", f.k.stem, k2.stem)
	}
	for _, p := range globT(t, f.c.dir, "*") { // the old files under the new names
		if err := os.Rename(p, filepath.Join(f.c.dir, k2.stem+filepath.Base(p)[len(f.k.stem):])); err != nil {
			t.Fatal(err)
		}
	}
	r := &countingRun{}
	got, err := r.run(t, f.c, f.path)
	if err != nil {
		t.Fatal(err)
	}
	compareJSON(t, "other build", f.want, got)
	if r.parses != 1 {
		t.Errorf("%d parses, want 1", r.parses)
	}
}

// The reader never panics, whatever the bytes.
func FuzzIndexFile(f *testing.F) {
	s, err := Open(filepath.Join("testdata", "tiny.heapsnapshot"), LoadOptions{})
	if err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(f.TempDir(), "tiny.lidx")
	out, err := os.Create(path)
	if err != nil {
		f.Fatal(err)
	}
	if err := writeIndex(out, "fuzz", indexColumns(NewGraph(s)), nil); err != nil {
		f.Fatal(err)
	}
	out.Close()
	good, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:indexAlign])
	f.Add(good[:indexPrefix])
	f.Add([]byte(indexMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		data := bytesOf(make([]uint64, (len(b)+7)/8))[:len(b)] // aligned, as a mapping is
		copy(data, b)
		g, err := parseGraphIndex(data, "fuzz")
		if err == nil && !bytes.Equal(b, good) {
			// Only a file with every checksum right opens; then it must
			// hold a usable graph.
			_ = Analyze(g.Snapshot, AnalyzeOptions{Graph: g})
		}
	})
}
