package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/leaklsp/leaklsp/heap"
)

// analyze generates a snapshot of units sessions with plants pl, loads it
// with the real loader, and runs the real detectors.
func analyze(t *testing.T, units int, pl Plants) (Stats, []heap.Suspect) {
	t.Helper()
	var buf bytes.Buffer
	st, err := generate(&buf, newPlan(units, pl))
	if err != nil {
		t.Fatal(err)
	}
	if int64(buf.Len()) != st.Bytes {
		t.Fatalf("stats say %d bytes, wrote %d", st.Bytes, buf.Len())
	}
	s, err := heap.Load(bytes.NewReader(buf.Bytes()), heap.LoadOptions{Size: int64(buf.Len())})
	if err != nil {
		t.Fatalf("heap.Load rejects the synthetic snapshot: %v", err)
	}
	if s.NodeCount() != st.Nodes || s.EdgeCount() != st.Edges || s.Strings.Len() != st.Strings || len(s.Locations) != st.Locations {
		t.Fatalf("loaded %d nodes, %d edges, %d strings, %d locations; generator says %+v",
			s.NodeCount(), s.EdgeCount(), s.Strings.Len(), len(s.Locations), st)
	}
	return st, heap.Analyze(s, heap.AnalyzeOptions{Graph: heap.NewGraph(s)})
}

// TestPlantedLeaksFound checks that the detectors find exactly the planted
// leaks of the manifest, at their sites, with their counts, and nothing in
// the filler (thousands of closures over many sites, Maps, arrays).
func TestPlantedLeaksFound(t *testing.T) {
	pl := defaultPlants()
	st, got := analyze(t, 40000, pl)
	if st.Bytes < 2<<20 {
		t.Fatalf("snapshot too small to mean anything: %d bytes", st.Bytes)
	}
	want := newManifest(st, pl).Leaks
	if len(got) != len(want) {
		t.Fatalf("found %d suspects, planted %d:\n%s", len(got), len(want), describe(got))
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			if g.Code == w.Code && g.Site.Script == w.Site.Script && g.Site.Line == w.Site.Line &&
				g.Site.Column == w.Site.Column && g.Site.Function == w.Site.Function {
				found = true
				if g.Count != w.Count {
					t.Errorf("%s at %s:%d: count %d, planted %d", w.Code, w.Site.Script, w.Site.Line, g.Count, w.Count)
				}
			}
		}
		if !found {
			t.Errorf("planted %s at %+v not found; got:\n%s", w.Code, w.Site, describe(got))
		}
	}
}

// TestControlHasNoSuspects: the same filler without plants yields nothing.
func TestControlHasNoSuspects(t *testing.T) {
	_, got := analyze(t, 40000, Plants{})
	if len(got) != 0 {
		t.Fatalf("control snapshot has %d suspects:\n%s", len(got), describe(got))
	}
	if m := newManifest(Stats{}, Plants{}); len(m.Leaks) != 0 {
		t.Fatalf("control manifest lists leaks: %+v", m.Leaks)
	}
}

// TestSizeTarget: -size lands near the requested size.
func TestSizeTarget(t *testing.T) {
	const want = 30e6
	st, err := generate(io.Discard, newPlan(unitsForBytes(want, defaultPlants()), defaultPlants()))
	if err != nil {
		t.Fatal(err)
	}
	if r := float64(st.Bytes) / want; r < 0.95 || r > 1.05 {
		t.Fatalf("asked for %.0f bytes, got %d (%.2f×)", want, st.Bytes, r)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"5GB": 5e9, "800MB": 800e6, "1.5g": 1.5e9, "120M": 120e6, "4096": 4096} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "GB", "-1GB", "lots"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
}

func describe(ss []heap.Suspect) string {
	var b bytes.Buffer
	for _, s := range ss {
		b.WriteString(s.Code + " " + s.Site.Script + " " + s.Site.Function + ": " + s.Message + "\n")
	}
	return b.String()
}

// TestVerify runs the real CLI's JSON shape through verify: the planted
// leaks pass, a missing one and an extra suspect fail.
func TestVerify(t *testing.T) {
	dir := t.TempDir()
	m := newManifest(Stats{}, defaultPlants())
	mb, _ := json.Marshal(m)
	manifest := filepath.Join(dir, "m.json")
	os.WriteFile(manifest, mb, 0o644)
	report := func(leaks []Leak) string {
		type diag struct {
			Code string `json:"code"`
			Heap Leak   `json:"heap"`
		}
		var ds []diag
		for _, l := range leaks {
			ds = append(ds, diag{Code: l.Code, Heap: l})
		}
		b, _ := json.Marshal(map[string]any{"diagnostics": ds})
		p := filepath.Join(dir, "r.json")
		os.WriteFile(p, b, 0o644)
		return p
	}
	if err := verify(report(m.Leaks), manifest, io.Discard); err != nil {
		t.Fatalf("exact report rejected: %v", err)
	}
	if err := verify(report(m.Leaks[1:]), manifest, io.Discard); err == nil {
		t.Fatal("report missing a planted leak accepted")
	}
	extra := append(append([]Leak{}, m.Leaks...), Leak{Code: "LEAK110", Site: Site{Script: "/srv/app/server.js", Line: 1}, Count: 5000})
	if err := verify(report(extra), manifest, io.Discard); err == nil {
		t.Fatal("report with an unexpected suspect accepted")
	}
}
