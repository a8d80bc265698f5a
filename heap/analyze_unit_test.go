package heap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// chainSnapshot builds root -> n1 -> n2 -> … -> n(k) (property edges named
// "next", 10 bytes each) plus root -> side (element 0).
func chainSnapshot(k int) *Snapshot {
	s := &Snapshot{}
	s.Strings = Strings{Arena: []byte("<dummy>nextNodeside"), Offsets: []uint64{0, 7, 11, 15, 19}}
	add := func(kind NodeKind, name uint32) {
		s.NodeKinds = append(s.NodeKinds, kind)
		s.NodeNames = append(s.NodeNames, name)
		s.NodeIDs = append(s.NodeIDs, uint32(2*len(s.NodeIDs)+1))
		s.SelfSizes = append(s.SelfSizes, 10)
		s.TraceIDs = append(s.TraceIDs, 0)
	}
	add(NodeSynthetic, 0) // root
	for range k {
		add(NodeObject, 2)
	}
	add(NodeObject, 3) // side
	side := uint32(k + 1)
	s.FirstEdge = make([]uint32, 0, k+3)
	var names []uint32
	edge := func(kind EdgeKind, name, to uint32) {
		names = append(names, name)
		s.Edges = append(s.Edges, packEdge(to, kind))
	}
	for v := range uint32(k + 2) {
		s.FirstEdge = append(s.FirstEdge, uint32(len(s.Edges)))
		switch {
		case v == 0:
			edge(EdgeProperty, 1, 1)
			edge(EdgeElement, 0, side)
		case int(v) < k:
			edge(EdgeProperty, 1, v+1)
		}
	}
	s.FirstEdge = append(s.FirstEdge, uint32(len(s.Edges)))
	s.EdgeNames = uintsOf(names)
	return s
}

func TestTopLevelAndPath(t *testing.T) {
	s := chainSnapshot(5)
	p := newPass(NewGraph(s), AnalyzeOptions{})
	top := p.topLevel([]uint32{3, 2, 4, 6})
	if len(top) != 2 || !(top[0] == 2 && top[1] == 6 || top[0] == 6 && top[1] == 2) {
		t.Fatalf("topLevel = %v, want 2 and 6", top)
	}
	// Node 2 retains 2..5 (40 bytes), side retains itself (10).
	if got := p.retainedOf([]uint32{3, 2, 4, 6}); got != 50 {
		t.Errorf("retainedOf = %d, want 50", got)
	}
	if d := p.commonDominator(3, 5); d != 3 {
		t.Errorf("commonDominator(3,5) = %d, want 3", d)
	}
	path := p.Path(3)
	var edges []string
	for _, h := range path {
		edges = append(edges, h.Edge)
	}
	if strings.Join(edges, ".") != "next.next.next" || path[2].Node != "Node @7" {
		t.Errorf("Path(3) = %+v", path)
	}
	if hop := p.Path(6); len(hop) != 1 || hop[0].Edge != "[0]" {
		t.Errorf("Path(side) = %+v", hop)
	}
}

func TestPathElision(t *testing.T) {
	s := chainSnapshot(200)
	p := newPass(NewGraph(s), AnalyzeOptions{})
	path := p.Path(200)
	if len(path) != maxPathHops+1 {
		t.Fatalf("len(path) = %d, want %d", len(path), maxPathHops+1)
	}
	if path[pathHeadHops].Edge != "…" || !strings.Contains(path[pathHeadHops].Node, "152 more hops") {
		t.Errorf("elision hop = %+v", path[pathHeadHops])
	}
	if last := path[len(path)-1]; last.NodeID != s.NodeIDs[200] {
		t.Errorf("last hop %+v is not the target", last)
	}
}

// TestAnalyzeDegenerate: no panic and no suspects on empty or tiny input,
// and without a dominator tree (a caller-built Graph).
func TestAnalyzeDegenerate(t *testing.T) {
	if got := Analyze(nil, AnalyzeOptions{}); got != nil {
		t.Errorf("Analyze(nil) = %v", got)
	}
	if got := Analyze(&Snapshot{}, AnalyzeOptions{}); got != nil {
		t.Errorf("Analyze(empty) = %v", got)
	}
	s := chainSnapshot(3)
	if got := Analyze(s, AnalyzeOptions{Baseline: NewBaseline(chainSnapshot(1))}); len(got) != 0 {
		t.Errorf("Analyze(chain) = %v", got)
	}
	g := NewGraph(s)
	g.IDom, g.Retained = uintColumn{}, RetainedSizes{}
	if got := Analyze(s, AnalyzeOptions{Graph: g}); len(got) != 0 {
		t.Errorf("Analyze(no dominators) = %v", got)
	}
}

func TestFormatBytes(t *testing.T) {
	for in, want := range map[uint64]string{0: "0 B", 1023: "1023 B", 2048: "2 KB", 3 << 20: "3.0 MB", 5 << 30: "5.0 GB"} {
		if got := FormatBytes(in); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", in, got, want)
		}
	}
}

// TestDetectorsDocumented: every detector has a unique name and code, a
// doc string and a rule page.
func TestDetectorsDocumented(t *testing.T) {
	names, codes := map[string]bool{}, map[string]bool{}
	for _, d := range Detectors {
		if d.Name == "" || d.Doc == "" || d.Run == nil || names[d.Name] || codes[d.Code] {
			t.Errorf("detector %q (%s): missing field or duplicate", d.Name, d.Code)
		}
		names[d.Name], codes[d.Code] = true, true
		if _, err := os.Stat(filepath.Join("..", "docs", "rules", d.Code+".md")); err != nil {
			t.Errorf("detector %s: no rule page: %v", d.Code, err)
		}
	}
}

// idSet is exact for dense V8 ids, embedder (even) ids and a sparse id
// that would blow up a bitset.
func TestIDSet(t *testing.T) {
	for name, ids := range map[string][]uint32{
		"dense":  {1, 3, 5, 7, 9, 1001, 2, 4000000000},
		"sparse": {1, 3, 4294967295, 2},
	} {
		set := newIDSet(ids)
		for _, id := range ids {
			if !set.has(id) {
				t.Errorf("%s: %d missing", name, id)
			}
		}
		for _, id := range []uint32{11, 999, 6, 4294967293, 0} {
			if set.has(id) {
				t.Errorf("%s: %d reported present", name, id)
			}
		}
		if name == "sparse" && len(set.odd) != 0 {
			t.Errorf("sparse ids got a %d-word bitset", len(set.odd))
		}
	}
}
