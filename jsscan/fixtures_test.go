package jsscan

import (
	"encoding/json"
	"github.com/leaklsp/leaklsp/internal/shared"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The heap fixtures (../testdata/fixtures/heap) are real leaking programs
// with ground truth in manifest.json; the static rules must point at the
// same lines the heap snapshots blame, and stay quiet on the control.

type site struct {
	File   string `json:"file"`
	Line   int    `json:"line"` // 1-based
	Column int    `json:"column"`
}

type manifest struct {
	Snapshots []struct {
		File        string `json:"file"`
		Scenario    string `json:"scenario"`
		Program     string `json:"program"`
		GroundTruth struct {
			Leaks  bool `json:"leaks"`
			Groups []struct {
				ID         string `json:"id"`
				Allocation *site  `json:"allocation_site"`
				Enclosing  *site  `json:"enclosing_function"`
				Source     *site  `json:"source_site"`
			} `json:"groups"`
		} `json:"ground_truth"`
	} `json:"snapshots"`
}

func fixtures(t *testing.T) (string, *manifest) {
	t.Helper()
	dir := shared.HeapFixtures(t)
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return dir, &m
}

// group returns a ground-truth group of a scenario's (untracked) snapshot.
func group(t *testing.T, m *manifest, scenario, id string) (alloc, encl, src *site) {
	t.Helper()
	for _, s := range m.Snapshots {
		if s.Scenario != scenario || strings.Contains(s.File, "tracked") {
			continue
		}
		for _, g := range s.GroundTruth.Groups {
			if g.ID == id {
				return g.Allocation, g.Enclosing, g.Source
			}
		}
	}
	t.Fatalf("manifest: no group %s/%s", scenario, id)
	return nil, nil, nil
}

func scanFixture(t *testing.T, dir, rel string) ([]byte, []Finding) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	return src, Scan(rel, src)
}

// at finds a finding of code starting at a 1-based manifest site.
func at(fs []Finding, code string, s *site) *Finding {
	for i, f := range fs {
		if f.Code == code && f.Range.Start.Line == s.Line-1 && f.Range.Start.Column == s.Column-1 {
			return &fs[i]
		}
	}
	return nil
}

func hasRelated(f *Finding, s *site) bool {
	for _, r := range f.Related {
		if r.Range.Start.Line == s.Line-1 && r.Range.Start.Column == s.Column-1 {
			return true
		}
	}
	return false
}

func count(fs []Finding, code string) int {
	n := 0
	for _, f := range fs {
		if f.Code == code {
			n++
		}
	}
	return n
}

// applyFix applies the first fix of f and rescans.
func applyFix(t *testing.T, path string, src []byte, f *Finding) []Finding {
	t.Helper()
	if len(f.Fixes) == 0 {
		t.Fatalf("%s: %s has no fix", path, f.Code)
	}
	out, err := ApplyEdits(src, f.Fixes[0].Edits)
	if err != nil {
		t.Fatal(err)
	}
	return Scan(path, out)
}

func TestFixtureTimersALS(t *testing.T) {
	dir, m := fixtures(t)
	alloc, _, _ := group(t, m, "a-timers-als", "finished-timeout")
	src, fs := scanFixture(t, dir, alloc.File)
	f := at(fs, CodeTimerToken, alloc)
	if f == nil {
		t.Fatalf("no LEAK001 at %s:%d:%d; got %+v", alloc.File, alloc.Line, alloc.Column, fs)
	}
	if !f.Fixes[0].Safe {
		t.Error("nulling the token should be a safe fix")
	}
	if n := count(applyFix(t, alloc.File, src, f), CodeTimerToken); n != 0 {
		t.Errorf("after the fix %d LEAK001 remain", n)
	}
}

func TestFixtureAsyncRecursion(t *testing.T) {
	dir, m := fixtures(t)
	alloc, encl, _ := group(t, m, "c-async-recursion", "suspended-activation")
	src, fs := scanFixture(t, dir, alloc.File)
	f := at(fs, CodeRecursiveAwait, alloc)
	if f == nil {
		t.Fatalf("no LEAK003 at %s:%d:%d; got %+v", alloc.File, alloc.Line, alloc.Column, fs)
	}
	if !hasRelated(f, encl) {
		t.Errorf("related %+v, want the function at %d:%d", f.Related, encl.Line, encl.Column)
	}
	if n := count(applyFix(t, alloc.File, src, f), CodeRecursiveAwait); n != 0 {
		t.Errorf("after the loop rewrite %d LEAK003 remain", n)
	}
}

func TestFixtureTSAwaiter(t *testing.T) {
	dir, m := fixtures(t)
	_, _, call := group(t, m, "e-ts-awaiter", "result-promise")
	_, jsFunc, fn := group(t, m, "e-ts-awaiter", "generator")

	_, fs := scanFixture(t, dir, call.File) // worker.ts, through esbuild
	f := at(fs, CodeRecursiveAwait, call)
	if f == nil {
		t.Fatalf("no LEAK003 at %s:%d:%d; got %+v", call.File, call.Line, call.Column, fs)
	}
	if !hasRelated(f, fn) {
		t.Errorf("related %+v, want %d:%d", f.Related, fn.Line, fn.Column)
	}

	_, fs = scanFixture(t, dir, jsFunc.File) // worker.js, tsc es2015 output
	var rec *Finding
	for i := range fs {
		if fs[i].Code == CodeRecursiveAwait {
			rec = &fs[i]
		}
	}
	if rec == nil || !hasRelated(rec, jsFunc) {
		t.Errorf("worker.js: want LEAK003 related to run at %d:%d; got %+v", jsFunc.Line, jsFunc.Column, fs)
	}
	if count(fs, CodeDownlevelAsync) != 1 {
		t.Errorf("worker.js: want one LEAK004 for __awaiter; got %+v", fs)
	}

	tsconfig := filepath.Join(filepath.Dir(call.File), "tsconfig.json")
	src, fs := scanFixture(t, dir, tsconfig)
	want := strings.Index(string(src), `"es2015"`)
	if len(fs) != 1 || fs[0].Code != CodeDownlevelAsync || fs[0].Range.Start.Offset != want {
		t.Errorf("tsconfig.json: want LEAK004 at the target value (offset %d); got %+v", want, fs)
	}
}

func TestFixtureControl(t *testing.T) {
	dir, m := fixtures(t)
	for _, s := range m.Snapshots {
		if s.Scenario != "g-control" || s.GroundTruth.Leaks {
			continue
		}
		_, fs := scanFixture(t, dir, s.Program)
		for _, f := range fs {
			switch f.Code {
			case CodeTimerToken, CodeRecursiveAwait, CodeIntervalPerObject, CodeTimerPrimitive:
				t.Errorf("control program: unexpected %s at %d:%d: %s", f.Code, f.Range.Start.Line+1, f.Range.Start.Column+1, f.Message)
			}
		}
		if count(fs, CodeDownlevelAsync) != 1 { // it does carry the __awaiter helper
			t.Errorf("control program: want the __awaiter helper reported once; got %+v", fs)
		}
		return
	}
	t.Fatal("manifest: no g-control scenario without leaks")
}
