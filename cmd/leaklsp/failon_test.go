package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// --fail-on picks what sets exit status 1; the rest is still printed. The
// fixture a-timers-als leaks a Timeout per request (manifest: LEAK101 at
// a-timers-als.js, heap-confirmed, so an error) and has no recursive await.
func TestCheckFailOn(t *testing.T) {
	fx := fixtures(t)
	snap := filepath.Join(fx, "snapshots", "a-timers-als.heapsnapshot.gz")
	leaks, truth := groundTruth(t, fx, "snapshots/a-timers-als.heapsnapshot.gz")
	if !leaks || len(truth["a-timers-als.js"]) == 0 {
		t.Fatal("manifest: a-timers-als.js should leak")
	}
	cases := []struct {
		name   string
		args   []string
		want   int
		shows  string // a code the output must still show
		static bool   // scan the sources too
	}{
		{"code that is found", []string{"--fail-on", "LEAK101"}, 1, "LEAK101", false},
		{"code that is not found", []string{"--fail-on", "LEAK103"}, 0, "LEAK101", false},
		{"lower-case list, one found", []string{"--fail-on", "leak105, leak101"}, 1, "LEAK101", false},
		{"heap evidence", []string{"--fail-on", "heap"}, 1, "LEAK101", false},
		{"static evidence, heap only", []string{"--fail-on", "static"}, 0, "LEAK101", false},
		// With the scan, the heap suspect merges with LEAK001 (both layers).
		{"static code of a merged finding", []string{"--fail-on", "LEAK001"}, 1, "LEAK101", true},
		{"static evidence of a merged finding", []string{"--fail-on", "static"}, 1, "LEAK101", true},
		{"severity error: heap-confirmed", []string{"--fail-on", "error"}, 1, "LEAK101", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"check"}, tc.args...)
			if !tc.static {
				args = append(args, "--no-static")
			}
			args = append(args, "--snapshot", snap, fx)
			code, out, errs := runCLI(t, args...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d; stderr: %s\n%s", code, tc.want, errs, out)
			}
			var shown bool
			for _, d := range parseText(out) {
				if d.code == tc.shows && d.file == "a-timers-als.js" && containsInt(truth[d.file], d.line) {
					shown = true
				}
			}
			if !shown {
				t.Fatalf("%s at a-timers-als.js:%v not printed:\n%s", tc.shows, truth["a-timers-als.js"], out)
			}
		})
	}
}

// Static findings are warnings: --fail-on error lets a static-only scan
// pass, --fail-on warning fails it. The fixture sources hold LEAK001 at
// a-timers-als.js (the line of the manifest's leaked group).
func TestCheckFailOnSeverity(t *testing.T) {
	fx := fixtures(t)
	_, truth := groundTruth(t, fx, "snapshots/a-timers-als.heapsnapshot.gz")
	for _, tc := range []struct {
		list string
		want int
	}{{"error", 0}, {"warning", 1}, {"hint,info", 0}} {
		code, out, errs := runCLI(t, "check", "--fail-on", tc.list, fx)
		if code != tc.want {
			t.Fatalf("--fail-on %s: exit %d, want %d; stderr: %s", tc.list, code, tc.want, errs)
		}
		var found bool
		for _, d := range parseText(out) {
			found = found || d.code == "LEAK001" && d.file == "a-timers-als.js" && containsInt(truth[d.file], d.line)
		}
		if !found {
			t.Fatalf("--fail-on %s: LEAK001 not printed:\n%s", tc.list, out)
		}
	}
}

// growthCase is the manifest entry of heap/testdata's growth fixture: the
// expected LEAK120 line and how many objects the site gained.
type growthCase struct {
	dir, target, baseline, script string
	line, grew                    int
}

func growthFixture(t *testing.T) growthCase {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "heap", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Snapshots []struct {
			File, Baseline, Program string
			Expect                  []struct {
				Code        string
				Line, Count int
				Why         string
			}
		}
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, s := range m.Snapshots {
		for _, e := range s.Expect {
			if e.Code != "LEAK120" || s.Baseline == "" {
				continue
			}
			// The manifest gives the program's constant: "GROW=2000".
			m := regexp.MustCompile(`GROW=(\d+)`).FindStringSubmatch(e.Why)
			if m == nil {
				t.Fatalf("manifest: no GROW= in %q", e.Why)
			}
			grew, _ := strconv.Atoi(m[1])
			return growthCase{dir, filepath.Join(dir, s.File), filepath.Join(dir, s.Baseline), s.Program, e.Line, grew}
		}
	}
	t.Fatal("no LEAK120 with a baseline in heap/testdata/manifest.json")
	return growthCase{}
}

// --min-growth N reports a site that grew by N objects and not one that
// grew by N-1; the growth comes from the manifest (GROW=2000 CacheEntry objects).
func TestCheckMinGrowth(t *testing.T) {
	g := growthFixture(t)
	grew := g.grew
	for _, tc := range []struct {
		args  []string
		found bool
	}{
		{nil, true}, // the default thresholds (500 objects and 20%)
		{[]string{"--min-growth", strconv.Itoa(grew)}, true},
		{[]string{"--min-growth", strconv.Itoa(grew + 1)}, false},
		{[]string{"--min-growth", "1"}, true},
		{[]string{"--min-growth-bytes", "1G"}, false},
		{[]string{"--min-growth", strconv.Itoa(grew + 1), "--min-growth-bytes", "1K"}, true}, // 2000 CacheEntry objects are more than 1 KiB
	} {
		args := append([]string{"check", "--no-static", "--fail-on", "LEAK120", "--snapshot", g.target, "--baseline", g.baseline}, tc.args...)
		code, out, errs := runCLI(t, append(args, g.dir)...)
		var found bool
		for _, d := range parseText(out) {
			found = found || d.code == "LEAK120" && d.file == g.script && d.line == g.line
		}
		if found != tc.found || code != map[bool]int{true: 1, false: 0}[tc.found] {
			t.Errorf("%v: exit %d, LEAK120 at %s:%d found=%v, want %v; stderr %s\n%s", tc.args, code, g.script, g.line, found, tc.found, errs, out)
		}
	}
}

// A site whose objects churn (same count, all new ids) is not growth even
// at the lowest threshold: the manifest's Session 2000 → 2000.
func TestCheckMinGrowthChurn(t *testing.T) {
	g := growthFixture(t)
	_, out, errs := runCLI(t, "check", "--no-static", "--format", "json", "--min-growth", "1", "--snapshot", g.target, "--baseline", g.baseline, g.dir)
	var res struct {
		Diagnostics []struct{ Code, Message string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, errs)
	}
	if len(res.Diagnostics) == 0 {
		t.Fatal("no diagnostics at all")
	}
	for _, d := range res.Diagnostics {
		if strings.HasPrefix(d.Message, "Session ") {
			t.Errorf("churning Session reported: %s", d.Message)
		}
	}
}

// Bad CI flags are usage errors (exit 2) that say what is wanted.
func TestCheckCIFlagErrors(t *testing.T) {
	g := growthFixture(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--fail-on", "LEAK1"}, "unknown entry"},
		{[]string{"--fail-on", "heap,sometimes"}, `"sometimes"`},
		{[]string{"--min-growth", "0", "--snapshot", g.target, "--baseline", g.baseline}, "≥ 1"},
		{[]string{"--min-growth-bytes", "lots", "--snapshot", g.target, "--baseline", g.baseline}, "byte count"},
		{[]string{"--min-growth", "10", "--snapshot", g.target}, "need --baseline"},
	} {
		code, _, errs := runCLI(t, append(append([]string{"check"}, tc.args...), g.dir)...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}
