package jsscan

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// A syntax error is only visible to a parse; the prefilter decides whether
// there is one. The pair below differs by one trigger word, in a comment,
// so the first file is skipped (no LEAK000) and the second is parsed (and
// its error reported).
func TestPrefilterSkipsTriggerFreeFiles(t *testing.T) {
	const broken = "function oops() {\n  return 1;\n}}\n"
	for _, path := range []string{"a.js", "a.ts"} {
		if fs := Scan(path, []byte(broken)); len(fs) != 0 {
			t.Errorf("%s without a trigger word: got %v, want no findings (not parsed)", path, fs)
		}
		fs := Scan(path, []byte("// setTimeout\n"+broken))
		if len(fs) != 1 || fs[0].Code != CodeParseError {
			t.Errorf("%s with one trigger word: got %v, want one LEAK000 (parsed)", path, fs)
		}
	}
}

// Every trigger alone makes a file a candidate; none of the look-alikes
// does.
func TestMayMatch(t *testing.T) {
	for _, src := range []string{"setTimeout", "x.setInterval(f)", "await x", "yield 1",
		"var __awaiter = 1", "__async(this)"} {
		if !mayMatch([]byte(src)) {
			t.Errorf("mayMatch(%q) = false, want true", src)
		}
	}
	for _, src := range []string{"", "setImmediate(f)", "async function f() {}", "clearTimeout(t)",
		"a_wait", "yiel d", "__asyn", "settimeout"} {
		if mayMatch([]byte(src)) {
			t.Errorf("mayMatch(%q) = true, want false", src)
		}
	}
}

// ScanDir hands its own file buffers to the scan (no copy); the findings
// must be those of Scan, which copies, with and without a shebang line
// (which the scan blanks in its buffer). The fixture's `// want` lines
// are the ground truth that it has findings at all.
func TestScanDirOwnedBuffers(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "timer-token-retained", "positive.js"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte("// want")) {
		t.Fatal("fixture has no expected findings")
	}
	for _, prefix := range []string{"", "#!/usr/bin/env node\n"} {
		dir := t.TempDir()
		path := filepath.Join(dir, "positive.js")
		text := append([]byte(prefix), src...)
		if err := os.WriteFile(path, text, 0o644); err != nil {
			t.Fatal(err)
		}
		want := Scan(path, text)
		got, err := ScanDir(dir, DirOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("prefix %q: ScanDir gave %d findings, Scan %d (want equal and > 0)", prefix, len(got), len(want))
		}
	}
}
