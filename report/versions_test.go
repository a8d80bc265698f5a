package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/jsscan"
	"github.com/leaklsp/leaklsp/workspace"
)

// TestMergeSameSetTimeoutOnRealSnapshot runs the real pipeline (snapshot
// of testdata/fixtures/versions/leaks.js on Node 20.3.1, real static scan)
// and checks that the heap and static findings about one setTimeout are
// one diagnostic: the bound callback (heap at fire(), static at the
// setTimeout line) and the primitive-converted timer (heap at the
// callback on the setTimeout line, static at +t, nodejs/node#53335). Lines
// are the manifest's (1-based): setTimeout(this.fire.bind(this)) 34,
// +t 46.
func TestMergeSameSetTimeoutOnRealSnapshot(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "testdata", "fixtures", "versions"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := heap.Open(filepath.Join(dir, "snapshots", "leaks-20.3.1.heapsnapshot.gz"), heap.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "leaks.js")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m := workspace.New([]string{dir}, workspace.Options{Mappings: map[string]string{"/srv/app/versions": dir}})
	located := Locate(heap.Analyze(s, heap.AnalyzeOptions{}), m)
	ds := Merge(file, src, located, jsscan.Scan(file, src))
	at := func(line int, code string) []Diagnostic {
		var out []Diagnostic
		for _, d := range ds {
			if d.Range.Start.Line == line-1 && d.Code == code {
				out = append(out, d)
			}
		}
		return out
	}
	for _, c := range []struct {
		line                int
		code, static, inMsg string
		heapLine            int
	}{
		{34, heap.CodeRetainedTimeout, jsscan.CodeTimerToken, "Heap snapshot confirms", 36},
		{46, heap.CodeTimerPrimitive, jsscan.CodeTimerPrimitive, "fixed in Node.js 20.16.0", 45},
	} {
		got := at(c.line, c.code)
		if len(got) != 1 || got[0].Source != Both || got[0].Static == nil || got[0].Static.Code != c.static {
			t.Errorf("want one merged %s+%s at line %d, got %+v", c.static, c.code, c.line, got)
			continue
		}
		if !strings.Contains(got[0].Message, c.inMsg) {
			t.Errorf("line %d: message %q lacks %q", c.line, got[0].Message, c.inMsg)
		}
		for _, d := range ds {
			if d.Range.Start.Line == c.heapLine-1 && d.Source == Heap {
				t.Errorf("line %d: a separate heap diagnostic remains: %s %s", c.heapLine, d.Code, d.Message)
			}
		}
	}
}

// TestBuiltinScriptNotMapped: Node ≤ 14 names its own scripts "events.js"
// or "internal/timers.js"; a suffix match must not put them into a user's
// src/events.js, while the user's own absolute path still maps.
func TestBuiltinScriptNotMapped(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "src", "internal"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"src/events.js", "src/internal/timers.js"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("'use strict';\n\n\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := workspace.New([]string{dir}, workspace.Options{})
	located := Locate([]heap.Suspect{
		{Code: heap.CodeClosureSite, Site: heap.Site{Script: "events.js", Line: 2}},
		{Code: heap.CodeClosureSite, Site: heap.Site{Script: "internal/timers.js", Line: 2}},
		{Code: heap.CodeClosureSite, Site: heap.Site{Script: "/srv/app/src/events.js", Line: 2}},
	}, m)
	for i, want := range []bool{false, false, true} {
		if got := located[i].File != ""; got != want {
			t.Errorf("%s mapped = %v (%q), want %v", located[i].Suspect.Site.Script, got, located[i].File, want)
		}
	}
}

// TestMergedMessageSaysWhatSnapshotShows: the static LEAK001 message talks
// about AsyncLocalStorage stores; merged with the heap finding of the same
// setTimeout (leaks.js:26) it keeps that only where the snapshot shows a
// kept store (Node 22) and says none is kept on Node 24 (AsyncContextFrame;
// ground truth in testdata/fixtures/versions/manifest.json, store_on).
func TestMergedMessageSaysWhatSnapshotShows(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "testdata", "fixtures", "versions"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "leaks.js")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	findings := jsscan.Scan(file, src)
	m := workspace.New([]string{dir}, workspace.Options{Mappings: map[string]string{"/srv/app/versions": dir}})
	for version, storeKept := range map[string]bool{"22.23.5": true, "24.22.3": false} {
		s, err := heap.Open(filepath.Join(dir, "snapshots", "leaks-"+version+".heapsnapshot.gz"), heap.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got *Diagnostic
		ds := Merge(file, src, Locate(heap.Analyze(s, heap.AnalyzeOptions{}), m), findings)
		for i := range ds {
			if ds[i].Range.Start.Line == 25 && ds[i].Code == heap.CodeRetainedTimeout && ds[i].Source == Both {
				got = &ds[i]
			}
		}
		if got == nil {
			t.Errorf("v%s: no merged LEAK001+LEAK101 at leaks.js:26", version)
			continue
		}
		mentions := strings.Contains(got.Message, "AsyncLocalStorage stores alive")
		none := strings.Contains(got.Message, "No AsyncLocalStorage store is kept")
		if mentions != storeKept || none == storeKept {
			t.Errorf("v%s (store kept: %v): %s", version, storeKept, got.Message)
		}
	}
}

// TestMergePromiseChainWithStaticRecursion: a promise-only recursion
// (heap/testdata/promise-recursion.js, `return this.next()` in
// Feed.next) is one diagnostic, the static LEAK003 at the recursive
// call confirmed by the heap's LEAK103, in both snapshots: with
// allocation stacks the heap blames the method (line 25, the finding's
// "recursive function"), without them Feed's constructor (line 19, the
// instance holding the chain), which merges through the finding's class.
// Lines are heap/testdata/manifest.json's (1-based). The negative: the
// same heap finding does not merge with a finding of another class.
func TestMergePromiseChainWithStaticRecursion(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "heap", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "promise-recursion.js")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	for n, text := range map[int]string{19: "constructor(source)", 25: "async next()", 28: "return this.next();"} {
		if !strings.Contains(lines[n-1], text) {
			t.Fatalf("promise-recursion.js:%d does not hold %q", n, text)
		}
	}
	findings := jsscan.Scan(file, src)
	m := workspace.New([]string{dir}, workspace.Options{Mappings: map[string]string{"/srv/app/heap/testdata": dir}})
	for snap, heapLine := range map[string]int{"promise-recursion.heapsnapshot.gz": 19, "promise-recursion.tracked.heapsnapshot.gz": 25} {
		s, err := heap.Open(filepath.Join(dir, "snapshots", snap), heap.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		located := Locate(heap.Analyze(s, heap.AnalyzeOptions{}), m)
		var recursion []Diagnostic
		for _, d := range Merge(file, src, located, findings) {
			if d.Code == heap.CodeRecursiveAsync || d.Code == jsscan.CodeRecursiveAwait {
				recursion = append(recursion, d)
			}
		}
		if len(recursion) != 1 || recursion[0].Source != Both || recursion[0].Range.Start.Line != 28-1 || recursion[0].Static.Code != jsscan.CodeRecursiveAwait {
			t.Errorf("%s: want one merged LEAK003+LEAK103 at line 28, got %+v", snap, recursion)
			continue
		}
		msg := recursion[0].Message
		if !strings.Contains(msg, "Heap snapshot confirms it: 301 objects") {
			t.Errorf("%s: message lacks the heap's count: %s", snap, msg)
		}
		if heapLine == 19 && !strings.Contains(msg, "The oldest promise is held by Feed.pending") {
			t.Errorf("%s: message does not name the holder: %s", snap, msg)
		}
		// Negative: a finding of another class does not take the heap
		// finding that blames Feed.
		other := append([]jsscan.Finding(nil), findings...)
		for i := range other {
			if other[i].Owner != nil {
				o := *other[i].Owner
				o.Name = "Other"
				other[i].Owner = &o
			}
		}
		var heapOnly int
		for _, d := range Merge(file, src, located, other) {
			if d.Source == Heap && d.Code == heap.CodeRecursiveAsync && d.Range.Start.Line == heapLine-1 {
				heapOnly++
			}
		}
		if want := map[int]int{19: 1, 25: 0}[heapLine]; heapOnly != want {
			t.Errorf("%s: with the finding in another class, %d separate heap LEAK103 at line %d, want %d", snap, heapOnly, heapLine, want)
		}
	}
}
