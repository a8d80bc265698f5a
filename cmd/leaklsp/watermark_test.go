package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/leaklsp/leaklsp/internal/nodetest"
)

// watermarkRun runs testdata/watermark/watermark.js in real node: a
// watermark baseline from the inspector's heap-object tracking, GROW
// CacheEntry objects added after it, one snapshot.
type watermarkRun struct {
	LastID       uint32 `json:"lastId"`
	Snapshot     string `json:"snapshot"`
	Before, Grow int
	dir          string
}

func runWatermark(t *testing.T) watermarkRun {
	t.Helper()
	node := nodetest.Binary(t)
	dir, err := filepath.Abs(filepath.Join("testdata", "watermark"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, filepath.Join(dir, "watermark.js"), t.TempDir()).Output()
	if err != nil {
		t.Fatalf("watermark.js: %v", err)
	}
	r := watermarkRun{dir: dir}
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("watermark.js printed %q: %v", out, err)
	}
	return r
}

// --baseline-last-id finds the growth of one snapshot against the
// watermark: GROW new CacheEntry objects on top of BEFORE, at --min-growth
// GROW and not at GROW+1 (the numbers are the program's constants).
func TestCheckBaselineLastID(t *testing.T) {
	r := runWatermark(t)
	line := 0
	for i, l := range strings.Split(string(readFile(filepath.Join(r.dir, "watermark.js"))), "\n") {
		if strings.Contains(l, "// LEAK120") {
			line = i + 1
		}
	}
	id := strconv.FormatUint(uint64(r.LastID), 10)
	for _, tc := range []struct {
		min   int
		found bool
	}{{r.Grow, true}, {r.Grow + 1, false}} {
		code, out, errs := runCLI(t, "check", "--no-static", "--baseline-last-id", id, "--min-growth", strconv.Itoa(tc.min), "--snapshot", r.Snapshot, r.dir)
		found := false
		for _, d := range parseText(out) {
			found = found || d.code == "LEAK120" && d.file == "watermark.js" && d.line == line
		}
		if found != tc.found || code != map[bool]int{true: 1, false: 0}[tc.found] {
			t.Errorf("--min-growth %d: exit %d, LEAK120 at watermark.js:%d found=%v, want %v; stderr %s\n%s", tc.min, code, line, found, tc.found, errs, out)
		}
		want := "grew from " + strconv.Itoa(r.Before) + " to " + strconv.Itoa(r.Before+r.Grow)
		if tc.found && !strings.Contains(out, want) {
			t.Errorf("output does not say %q:\n%s", want, out)
		}
	}
}

// --baseline-last-id is a baseline: it needs --snapshot, excludes
// --baseline and takes an object id.
func TestCheckBaselineLastIDErrors(t *testing.T) {
	g := growthFixture(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--baseline-last-id", "81"}, "needs --snapshot"},
		{[]string{"--baseline-last-id", "81", "--snapshot", g.target, "--baseline", g.baseline}, "replaces --baseline"},
		{[]string{"--baseline-last-id", "-1", "--snapshot", g.target}, "object id"},
		{[]string{"--baseline-last-id", "4294967296", "--snapshot", g.target}, "object id"},
	} {
		code, _, errs := runCLI(t, append(append([]string{"check"}, tc.args...), g.dir)...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}
