package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leaklsp/leaklsp/heap"
)

// reopenState is everything the server answers about a loaded snapshot.
type reopenState struct {
	Result   SnapshotResult
	Suspects SuspectsResult
	Sites    SummaryResult
}

func (c *testClient) openState(snap string) (reopenState, error) {
	return c.state(`{"command":"leaklsp.server.openSnapshot","arguments":[{"path":` + jsonString(snap) + `}]}`)
}

func (c *testClient) compareState(base, target string) (reopenState, error) {
	return c.state(`{"command":"leaklsp.server.compareSnapshots","arguments":[{"baseline":` + jsonString(base) + `,"target":` + jsonString(target) + `}]}`)
}

func (c *testClient) state(command string) (reopenState, error) {
	var st reopenState
	err := c.tryCall("workspace/executeCommand", command, &st.Result)
	if err != nil {
		return st, err
	}
	c.call(MethodSuspects, `null`, &st.Suspects)
	c.call(MethodSummary, `{"groupBy":"site"}`, &st.Sites)
	return st, nil
}

// Re-opening an analysed snapshot, in the same server or a new one (the
// editor restarted), answers from the re-open index exactly what the
// first open answered, without reading the snapshot; each damaged index
// file is parsed around, and no damage reaches the client as a crash.
func TestOpenSnapshotReopenIndex(t *testing.T) {
	fx := fixtures(t)
	orig, err := os.ReadFile(filepath.Join(fx, "snapshots", "a-timers-als.heapsnapshot.gz"))
	if err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(t.TempDir(), "a-timers-als.heapsnapshot.gz")
	if err := os.WriteFile(snap, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(snap)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	index := heap.NewIndexCache(dir, 1<<30)
	newServer := func() *testClient {
		c := newClient(t, clientOpts{roots: []string{fx}, scan: fakeScan, scanDir: noScanDir, index: index})
		t.Cleanup(c.srv.indexWrites.Wait) // runs before the directories are removed
		return c
	}
	a := newServer()
	want, err := a.openState(snap)
	if err != nil {
		t.Fatal(err)
	}
	if want.Result.Suspects == 0 || len(want.Sites.Rows) == 0 {
		t.Fatalf("first open: %+v", want)
	}
	a.srv.indexWrites.Wait()
	files := func(ext string) []string { m, _ := filepath.Glob(filepath.Join(dir, "*"+ext)); return m }
	if len(files(".lidx")) != 1 || len(files(".lres")) != 1 {
		t.Fatalf("after the first open: %v %v", files(".lidx"), files(".lres"))
	}
	// From here on a parse of the snapshot fails: same size and mtime,
	// the ends the key hashes unchanged, the middle zeroed.
	garbled := append([]byte(nil), orig...)
	clear(garbled[len(garbled)/3 : len(garbled)*2/3])
	writeKeepMtime(t, snap, garbled, fi.ModTime())
	b := newServer()
	same := func(c *testClient, what string) {
		t.Helper()
		got, err := c.openState(snap)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
			t.Fatalf("%s:\n%.800s\nwant\n%.800s", what, g, w)
		}
	}
	same(a, "re-open in the same server")
	same(b, "open in a new server")
	cut := func(paths []string) {
		for _, p := range paths {
			if err := os.Truncate(p, 200); err != nil {
				t.Fatal(err)
			}
		}
	}
	cut(files(".lres"))
	same(b, "results damaged: from the graph index")
	b.srv.indexWrites.Wait()
	cut(append(files(".lres"), files(".lidx")...))
	if _, err := b.openState(snap); err == nil || !strings.Contains(err.Error(), "cannot load heap snapshot") {
		t.Fatalf("index damaged, snapshot garbled: %v, want the load error", err)
	}
	assertAlive(t, b, "a damaged index and a garbled snapshot")
	writeKeepMtime(t, snap, orig, fi.ModTime())
	same(b, "index damaged: parsed")
}

// A comparison is re-opened too, keyed by both snapshots: the same pair
// again answers the same without reading either, and the target alone is
// not answered with the comparison's growth.
func TestCompareSnapshotsReopenIndex(t *testing.T) {
	fx := fixtures(t)
	base := copyFile(t, filepath.Join(fx, "snapshots", "g-control.heapsnapshot.gz"))
	target := copyFile(t, filepath.Join(fx, "snapshots", "a-timers-als.heapsnapshot.gz"))
	index := heap.NewIndexCache(t.TempDir(), 1<<30)
	c := newClient(t, clientOpts{roots: []string{fx}, scan: fakeScan, scanDir: noScanDir, index: index})
	t.Cleanup(c.srv.indexWrites.Wait)
	want, err := c.compareState(base, target)
	if err != nil {
		t.Fatal(err)
	}
	alone, err := c.openState(target)
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, alone) == mustJSON(t, want) {
		t.Fatal("the comparison answers as the target alone: the test cannot tell them apart")
	}
	c.srv.indexWrites.Wait()
	for _, p := range []string{base, target} { // from here on neither parses
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(p)
		clear(b[len(b)/3 : len(b)*2/3])
		writeKeepMtime(t, p, b, fi.ModTime())
	}
	got, err := c.compareState(base, target)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
		t.Fatalf("compare again:\n%.800s\nwant\n%.800s", g, w)
	}
	if got, err = c.openState(target); err != nil || mustJSON(t, got) != mustJSON(t, alone) {
		t.Fatalf("target alone again: %v", err)
	}
}

func copyFile(t *testing.T, path string) string {
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

func writeKeepMtime(t *testing.T, path string, data []byte, mtime time.Time) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
