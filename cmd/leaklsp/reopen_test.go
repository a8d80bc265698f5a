package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A second `check --snapshot` of the same file answers from the re-open
// index with the same output as a parse, the ground-truth leak included,
// without reading the snapshot; a damaged index is parsed around;
// --no-index neither reads nor writes one.
func TestCheckReopenIndex(t *testing.T) {
	fx := fixtures(t)
	rel := "snapshots/a-timers-als.heapsnapshot.gz"
	_, truth := groundTruth(t, fx, rel)
	orig, err := os.ReadFile(filepath.Join(fx, rel))
	if err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(t.TempDir(), filepath.Base(rel))
	if err := os.WriteFile(snap, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"check", "--no-static", "--snapshot", snap, fx}
	dir := t.TempDir()
	t.Setenv("LEAKLSP_INDEX_DIR", dir)
	_, want, _ := runCLI(t, append([]string{args[0], "--no-index"}, args[1:]...)...)
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Fatalf("--no-index wrote %d files", len(files))
	}
	check := func(what string) {
		t.Helper()
		code, out, errs := runCLI(t, args...)
		if code != 1 || out != want {
			t.Fatalf("%s: exit %d, stderr %q, output:\n%s\nwant (parsed):\n%s", what, code, errs, out, want)
		}
		found := false
		for _, d := range parseText(out) {
			found = found || d.code == "LEAK101" && d.file == "a-timers-als.js" && containsInt(truth[d.file], d.line)
		}
		if !found {
			t.Fatalf("%s: no LEAK101 on a ground-truth line %v", what, truth["a-timers-als.js"])
		}
	}
	check("first run")
	idx, _ := filepath.Glob(filepath.Join(dir, "*.lidx"))
	res, _ := filepath.Glob(filepath.Join(dir, "*.lres"))
	if len(idx) != 1 || len(res) != 1 {
		t.Fatalf("after the first run: graph indexes %v, results %v", idx, res)
	}
	// Garble the middle of the snapshot, keeping its size, mtime and the
	// ends the key hashes: a parse would fail, the re-open does not parse.
	fi, err := os.Stat(snap)
	if err != nil {
		t.Fatal(err)
	}
	garbled := append([]byte(nil), orig...)
	for i := len(garbled) / 3; i < len(garbled)*2/3; i++ {
		garbled[i] = 0
	}
	setFile(t, snap, garbled, fi.ModTime())
	if code, _, errs := runCLI(t, append([]string{args[0], "--no-index"}, args[1:]...)...); code != 2 {
		t.Fatalf("the garbled snapshot parses (exit %d, %s): the test proves nothing", code, errs)
	}
	check("re-open")
	setFile(t, snap, orig, fi.ModTime())
	for _, p := range append(idx, res...) { // cut both: the next run parses
		if err := os.Truncate(p, 100); err != nil {
			t.Fatal(err)
		}
	}
	check("damaged index")
	check("re-open after the damage")
}

func setFile(t *testing.T, path string, b []byte, mtime time.Time) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}
