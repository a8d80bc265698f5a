package report

import (
	"bytes"
	"encoding/json"
	"github.com/leaklsp/leaklsp/internal/shared"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/jsscan"
	"github.com/leaklsp/leaklsp/workspace"
)

// The ground-truth site of a-timers-als: the setTimeout at 30:20 (1-based).
func timeoutSuspect() heap.Suspect {
	return heap.Suspect{
		Code: heap.CodeRetainedTimeout, Detector: "retained-timeout",
		Site:  heap.Site{Script: "/srv/app/heap/a-timers-als.js", Line: 29, Column: 19, Function: "Job"},
		Count: 3000, SelfBytes: 384000, RetainedBytes: 1_234_567,
		Path: []heap.Hop{
			{Edge: "", Node: "(GC roots)"},
			{Edge: "history", Node: "Array @11"},
			{Edge: "[3]", Node: "Job @13"},
			{Edge: "timeout", Node: "Timeout @15", Site: &heap.Site{Script: "/srv/app/heap/a-timers-als.js", Line: 29, Column: 19}},
		},
		Related: []heap.Related{{Site: heap.Site{Script: "/srv/app/heap/a-timers-als.js", Line: 40, Column: 21}, Note: "ALS store allocated here"}},
		Message: "Finished Timeouts are still referenced from Job.timeout",
	}
}

func timerFinding(fx string, line int) jsscan.Finding {
	return jsscan.Finding{
		Code: jsscan.CodeTimerToken, Rule: "timer-token-retained", Path: filepath.Join(fx, "a-timers-als.js"),
		Range:    jsscan.Range{Start: jsscan.Pos{Line: line, Column: 4}, End: jsscan.Pos{Line: line, Column: 16}},
		Severity: jsscan.SeverityWarning, Message: "this.timeout keeps the Timeout after it fired.",
		Fixes: []jsscan.Fix{{Title: "Clear the token when the timer fires", Preferred: true, Safe: true,
			Edits: []jsscan.Edit{{Path: filepath.Join(fx, "a-timers-als.js"), Range: jsscan.Range{Start: jsscan.Pos{Line: line + 1, Column: 6}, End: jsscan.Pos{Line: line + 1, Column: 6}}, NewText: "this.timeout = null; "}}}},
	}
}

func build(t *testing.T, fx string, suspects []heap.Suspect, findings []jsscan.Finding) []Diagnostic {
	t.Helper()
	m := workspace.New([]string{fx}, workspace.Options{})
	return Build(Locate(suspects, m), findings, func(p string) []byte { b, _ := os.ReadFile(p); return b })
}

func TestMergeSameLine(t *testing.T) {
	fx := fixtures(t)
	ds := build(t, fx, []heap.Suspect{timeoutSuspect()}, []jsscan.Finding{timerFinding(fx, 29)})
	if len(ds) != 1 {
		t.Fatalf("want 1 merged diagnostic, got %d: %+v", len(ds), ds)
	}
	d := ds[0]
	if d.Source != Both || d.Code != "LEAK101" || d.Severity != jsscan.SeverityError || len(d.Fixes) != 1 || d.Static == nil || d.Heap == nil {
		t.Fatalf("merged = %+v", d)
	}
	if d.Range.Start.Line != 29 || d.Range.Start.Column != 4 {
		t.Fatalf("merged keeps the static range, got %+v", d.Range)
	}
	for _, want := range []string{"3000 objects", "1.2 MB retained", "Heap snapshot confirms"} {
		if !strings.Contains(d.Message, want) {
			t.Errorf("message %q lacks %q", d.Message, want)
		}
	}
	if len(d.Related) != 2 || d.Related[1].Range.Start.Line != 40 {
		t.Errorf("related = %+v", d.Related)
	}
	if got := d.Codes(); len(got) != 2 || got[0] != "LEAK001" || got[1] != "LEAK101" {
		t.Errorf("Codes() = %v", got)
	}
}

func TestNoMergeOtherLineOrCode(t *testing.T) {
	fx := fixtures(t)
	// Finding five lines away: both stand alone.
	ds := build(t, fx, []heap.Suspect{timeoutSuspect()}, []jsscan.Finding{timerFinding(fx, 34)})
	if len(ds) != 2 {
		t.Fatalf("want 2 diagnostics, got %+v", ds)
	}
	for _, d := range ds {
		if d.Source == Both {
			t.Fatalf("unexpected merge: %+v", d)
		}
		if d.Source == Heap && (d.Severity != jsscan.SeverityError || d.Range.Start.Line != 29 || d.Range.End.Column <= d.Range.Start.Column) {
			t.Fatalf("heap diagnostic = %+v", d)
		}
		if d.Source == Static && d.Severity != jsscan.SeverityWarning {
			t.Fatalf("static diagnostic = %+v", d)
		}
	}
	// Same line, non-corresponding code (LEAK110 has no static rule).
	s := timeoutSuspect()
	s.Code = heap.CodeClosureSite
	if ds := build(t, fx, []heap.Suspect{s}, []jsscan.Finding{timerFinding(fx, 29)}); len(ds) != 2 {
		t.Fatalf("LEAK110 merged with LEAK001: %+v", ds)
	}
}

func TestCorresponds(t *testing.T) {
	yes := [][2]string{{"LEAK101", "LEAK001"}, {"LEAK103", "LEAK003"}, {"LEAK104", "LEAK004"}, {"LEAK104", "LEAK003"}, {"LEAK105", "LEAK005"}}
	no := [][2]string{{"LEAK101", "LEAK003"}, {"LEAK103", "LEAK004"}, {"LEAK110", "LEAK001"}, {"LEAK120", "LEAK002"}, {"LEAK001", "LEAK101"}, {"", ""}}
	for _, p := range yes {
		if !Corresponds(p[0], p[1]) {
			t.Errorf("Corresponds(%s, %s) = false", p[0], p[1])
		}
	}
	for _, p := range no {
		if Corresponds(p[0], p[1]) {
			t.Errorf("Corresponds(%s, %s) = true", p[0], p[1])
		}
	}
}

// The __awaiter chain (mapped to worker.ts through the source map) merges
// with a LEAK003 finding on the recursive await via its related site.
func TestMergeThroughSourceMapAndRelated(t *testing.T) {
	fx := fixtures(t)
	s := heap.Suspect{
		Code: heap.CodeAwaiterChain, Site: heap.Site{Script: "/srv/app/heap/e-ts-awaiter/worker.js", Line: 30, Column: 57},
		Count: 2000, RetainedBytes: 900_000, Message: "2000 levels of an __awaiter chain",
		Related: []heap.Related{{Site: heap.Site{Script: "/srv/app/heap/e-ts-awaiter/worker.js", Line: 35, Column: 23}, Note: "recursive await"}},
	}
	ts := filepath.Join(fx, "e-ts-awaiter", "worker.ts")
	f := jsscan.Finding{Code: jsscan.CodeRecursiveAwait, Path: ts, Severity: jsscan.SeverityWarning, Message: "Recursive await.",
		Range: jsscan.Range{Start: jsscan.Pos{Line: 26, Column: 4}, End: jsscan.Pos{Line: 26, Column: 20}}}
	ds := build(t, fx, []heap.Suspect{s}, []jsscan.Finding{f})
	if len(ds) != 1 || ds[0].Source != Both || ds[0].File != ts {
		t.Fatalf("want one merged diagnostic in worker.ts, got %+v", ds)
	}
}

func TestUnmappedSuspectKept(t *testing.T) {
	fx := fixtures(t)
	s := timeoutSuspect()
	s.Site.Script = "/srv/app/vendor/gone.js"
	ds := build(t, fx, []heap.Suspect{s}, nil)
	if len(ds) != 1 || ds[0].File != "" || ds[0].Script != "/srv/app/vendor/gone.js" {
		t.Fatalf("unmapped: %+v", ds)
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, ds, fx); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "/srv/app/vendor/gone.js:30:20: LEAK101 ") {
		t.Fatalf("text = %q", buf.String())
	}
}

// A suspect with no source position at all (a class that grew) prints as
// "(heap snapshot): CODE …" with its retainer path, not as ":1:1:".
func TestSitelessSuspectText(t *testing.T) {
	s := heap.Suspect{Code: heap.CodeGrowth, Site: heap.Site{Function: "Object"}, Count: 6568, Growth: 3734,
		Message: "plain objects grew from 2866 to 6568 since the baseline.",
		Path:    []heap.Hop{{Edge: "2", Node: "global @6941"}, {Edge: "sessions", Node: "Map @7"}}}
	ds := build(t, fixtures(t), []heap.Suspect{s}, nil)
	var buf bytes.Buffer
	if err := WriteText(&buf, ds, "."); err != nil {
		t.Fatal(err)
	}
	want := "(heap snapshot): LEAK120 Plain objects grew from 2866 to 6568 since the baseline. 6568 objects, 0 B retained (+3734 since baseline).\n" +
		"\tretainer path: .2 global @6941 → .sessions Map @7\n"
	if buf.String() != want {
		t.Fatalf("text =\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestSuppression(t *testing.T) {
	lines := splitLines([]byte("a\n  // leaklsp-ignore LEAK001, LEAK101\n  x()\n// leaklsp-ignore\ny\n// leaklsp-ignore LEAK005\nz\nt = setTimeout(f) // leaklsp-ignore LEAK101\nw\n"))
	cases := []struct {
		line int
		code string
		want bool
	}{{2, "LEAK001", true}, {2, "LEAK101", true}, {2, "LEAK003", false}, {4, "LEAK104", true}, {6, "LEAK001", false}, {0, "LEAK001", false},
		{7, "LEAK101", true}, {7, "LEAK103", false}, {8, "LEAK101", false}}
	for _, c := range cases {
		if got := Suppressed(lines, c.line, c.code); got != c.want {
			t.Errorf("Suppressed(line %d, %s) = %v", c.line, c.code, got)
		}
	}
	// Merge honours it for heap diagnostics.
	src := []byte("x\n// leaklsp-ignore LEAK101\nthis.timeout = setTimeout(f)\n")
	l := Located{Suspect: heap.Suspect{Code: "LEAK101"}, File: "/w/a.js", Pos: Pos{2, 15}}
	if ds := Merge("/w/a.js", src, []Located{l}, nil); len(ds) != 0 {
		t.Fatalf("suppressed heap diagnostic reported: %+v", ds)
	}
	l.Pos.Line = 0
	if ds := Merge("/w/a.js", src, []Located{l}, nil); len(ds) != 1 {
		t.Fatalf("unsuppressed heap diagnostic missing: %+v", ds)
	}
}

func TestFilterRules(t *testing.T) {
	fx := fixtures(t)
	ds := build(t, fx, []heap.Suspect{timeoutSuspect()}, []jsscan.Finding{timerFinding(fx, 29), timerFinding(fx, 34)})
	if got := Filter(ds, map[string]bool{"LEAK101": false}); len(got) != 1 || got[0].Code != "LEAK001" {
		t.Fatalf("LEAK101 off: %+v", got)
	}
	got := Filter(ds, map[string]bool{"LEAK001": false})
	// The standalone LEAK001 goes; the merged one keeps its heap evidence
	// but loses the disabled rule's fixes.
	if len(got) != 1 || got[0].Code != "LEAK101" || len(got[0].Fixes) != 0 {
		t.Fatalf("LEAK001 off: %+v", got)
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[uint64]string{0: "0 B", 1023: "1023 B", 1024: "1 KB", 384000: "375 KB", 1_234_567: "1.2 MB", 4_000_000_000: "3.7 GB"} {
		if got := HumanBytes(n); got != want {
			t.Errorf("HumanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestUTF16Len(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "é": 1, "😀": 2, "a😀b": 4} {
		if got := UTF16Len([]byte(s)); got != want {
			t.Errorf("UTF16Len(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	fx := fixtures(t)
	ds := build(t, fx, []heap.Suspect{timeoutSuspect()}, []jsscan.Finding{timerFinding(fx, 29)})
	var buf bytes.Buffer
	if err := WriteJSON(&buf, ds, fx); err != nil {
		t.Fatal(err)
	}
	type oneBased struct{ Line, Column, EndLine, EndColumn int }
	var out struct {
		Format      int
		Diagnostics []struct {
			Path, Code, Source, Doc string
			oneBased
			Range   Range
			Related []struct {
				Path string
				oneBased
				Range Range
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.Format != 1 || len(out.Diagnostics) != 1 || out.Diagnostics[0].Path != "a-timers-als.js" || out.Diagnostics[0].Source != "both" || out.Diagnostics[0].Doc != DocURL("LEAK101") {
		t.Fatalf("json = %s", buf.String())
	}
	// Ground truth: the leak is on line 30 of a-timers-als.js, 1-based as
	// in text output and SARIF; the LSP-style range says 29.
	d := out.Diagnostics[0]
	if d.Line != 30 || d.Range.Start.Line != 29 || d.Column != d.Range.Start.Column+1 ||
		d.EndLine != d.Range.End.Line+1 || d.EndColumn != d.Range.End.Column+1 {
		t.Errorf("1-based %+v vs 0-based range %+v", d.oneBased, d.Range)
	}
	if len(d.Related) == 0 {
		t.Fatalf("no related locations: %s", buf.String())
	}
	for _, r := range d.Related {
		if r.Path == "" || r.Line != r.Range.Start.Line+1 || r.Column != r.Range.Start.Column+1 {
			t.Errorf("related %q: 1-based %+v vs range %+v", r.Path, r.oneBased, r.Range)
		}
	}
}

// c-async-recursion: V8 puts the suspended activations at `async function
// task(` (19:20) while the static rule flags the recursive `await task()`
// (22:9) and relates the function; the two merge through that relation.
func TestMergeThroughFindingRelated(t *testing.T) {
	fx := fixtures(t)
	file := filepath.Join(fx, "c-async-recursion.js")
	s := heap.Suspect{Code: heap.CodeRecursiveAsync, Site: heap.Site{Script: "/srv/app/heap/c-async-recursion.js", Line: 18, Column: 19}, Count: 2002, RetainedBytes: 176_000, Message: "task() awaits itself"}
	f := func(relLine int) jsscan.Finding {
		return jsscan.Finding{Code: jsscan.CodeRecursiveAwait, Path: file, Severity: jsscan.SeverityWarning, Message: "recursive await",
			Range:   jsscan.Range{Start: jsscan.Pos{Line: 21, Column: 8}, End: jsscan.Pos{Line: 21, Column: 20}},
			Related: []jsscan.Related{{Path: file, Range: jsscan.Range{Start: jsscan.Pos{Line: relLine, Column: 19}, End: jsscan.Pos{Line: relLine, Column: 19}}, Message: "the recursive function"}}}
	}
	ds := build(t, fx, []heap.Suspect{s}, []jsscan.Finding{f(18)})
	if len(ds) != 1 || ds[0].Source != Both || ds[0].Code != "LEAK103" || ds[0].Range.Start.Line != 21 {
		t.Fatalf("want one merged LEAK103 on the await, got %+v", ds)
	}
	if ds := build(t, fx, []heap.Suspect{s}, []jsscan.Finding{f(5)}); len(ds) != 2 {
		t.Fatalf("related elsewhere must not merge: %+v", ds)
	}
}

func TestSentenceKeepsCodeSpelling(t *testing.T) {
	for in, want := range map[string]string{
		"recursive await: a loop":          "Recursive await: a loop.",
		"task() awaits itself":             "task() awaits itself.",
		"fooBar grew from 1 to 2 objects":  "fooBar grew from 1 to 2 objects.",
		"this.timeout keeps a store alive": "this.timeout keeps a store alive.",
		"3000 closures are alive.":         "3000 closures are alive.",
	} {
		if got := sentence(in); got != want {
			t.Errorf("sentence(%q) = %q, want %q", in, got, want)
		}
	}
}

// fixtures is the shared heap fixture directory.
func fixtures(t testing.TB) string { return shared.HeapFixtures(t) }
