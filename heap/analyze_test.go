package heap

import (
	"encoding/json"
	"fmt"
	"github.com/leaklsp/leaklsp/internal/shared"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Ground truth of the shared fixtures (only the fields the tests use).
type fixtureManifest struct {
	Snapshots []struct {
		File              string `json:"file"`
		Scenario          string `json:"scenario"`
		Pattern           string `json:"pattern"`
		Program           string `json:"program"`
		ScriptPathInSnap  string `json:"script_path_in_snapshot"`
		AllocationTracked bool   `json:"allocation_tracking"`
		GroundTruth       struct {
			Leaks  bool           `json:"leaks"`
			Groups []fixtureGroup `json:"groups"`
		} `json:"ground_truth"`
	} `json:"snapshots"`
}

type fixtureGroup struct {
	ID    string `json:"id"`
	Role  string `json:"role"`
	Match struct {
		NodeName  string      `json:"node_name"`
		ClosureAt *fixturePos `json:"closure_at"`
		EdgeTo    *struct {
			Edge      string      `json:"edge"`
			ClosureAt *fixturePos `json:"closure_at"`
		} `json:"edge_to"`
	} `json:"match"`
	Enclosing *fixturePos `json:"enclosing_function"`
	Measured  struct {
		Count      int `json:"count"`
		Allocation *struct {
			Top []fixturePos `json:"top_app_frames"`
		} `json:"allocation"`
	} `json:"measured"`
}

// fixturePos is a 1-based position in a fixture program.
type fixturePos struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Function string `json:"function"`
}

// at reports whether a 0-based site is this 1-based position in this file.
func (f *fixturePos) at(s Site) bool {
	return strings.HasSuffix(s.Script, "/"+f.File) && s.Line == f.Line-1 && s.Column == f.Column-1
}

func (f *fixturePos) String() string { return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column) }

// countSlack is how far a detector's count may be from the measured count
// of the ground-truth group: chain heads and tails (the level being set up
// when the snapshot was taken) may or may not be linked yet.
const countSlack = 5

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

var snapCache sync.Map // path -> *Snapshot; fixtures are read-only

func openSnapshot(t testing.TB, path string) *Snapshot {
	t.Helper()
	if s, ok := snapCache.Load(path); ok {
		return s.(*Snapshot)
	}
	s, err := Open(path, LoadOptions{})
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	snapCache.Store(path, s)
	return s
}

func describe(sus []Suspect) string {
	var b strings.Builder
	for _, s := range sus {
		fmt.Fprintf(&b, "\n  %s %s:%d:%d %q count=%d retained=%d: %s", s.Code, s.Site.Script, s.Site.Line, s.Site.Column,
			s.Site.Function, s.Count, s.RetainedBytes, s.Message)
	}
	return b.String()
}

// find returns the suspects with code at pos.
func find(sus []Suspect, code string, pos *fixturePos) []Suspect {
	var out []Suspect
	for _, s := range sus {
		if s.Code == code && pos.at(s.Site) {
			out = append(out, s)
		}
	}
	return out
}

// expectAt checks that exactly one suspect with code sits at pos and that
// its count is within countSlack of want.
func expectAt(t *testing.T, sus []Suspect, code string, pos *fixturePos, want int) *Suspect {
	t.Helper()
	got := find(sus, code, pos)
	if len(got) != 1 {
		t.Errorf("want one %s at %s, got %d; suspects:%s", code, pos, len(got), describe(sus))
		return nil
	}
	s := &got[0]
	if d := s.Count - want; d < -countSlack || d > countSlack {
		t.Errorf("%s at %s: count %d, ground truth %d", code, pos, s.Count, want)
	}
	if s.RetainedBytes == 0 || s.Message == "" || s.Advice == "" || len(s.Path) == 0 {
		t.Errorf("%s at %s: incomplete suspect %+v", code, pos, *s)
	}
	return s
}

// groupByRole returns the fixture group with this role whose match has a
// closure position (directly or through an edge), or nil.
func groupsWith(groups []fixtureGroup, role string) []fixtureGroup {
	var out []fixtureGroup
	for _, g := range groups {
		if g.Role == role {
			out = append(out, g)
		}
	}
	return out
}

func closurePos(g fixtureGroup) *fixturePos {
	if g.Match.ClosureAt != nil {
		return g.Match.ClosureAt
	}
	if g.Match.EdgeTo != nil && g.Match.EdgeTo.Edge == "function" {
		return g.Match.EdgeTo.ClosureAt
	}
	return nil
}

func TestAnalyzeFixtures(t *testing.T) {
	dir := fixturesDir(t)
	var m fixtureManifest
	readJSON(t, filepath.Join(dir, "manifest.json"), &m)
	if len(m.Snapshots) == 0 {
		t.Fatal("manifest lists no snapshots")
	}
	for _, snap := range m.Snapshots {
		t.Run(filepath.Base(snap.File), func(t *testing.T) {
			s := openSnapshot(t, filepath.Join(dir, snap.File))
			sus := Analyze(s, AnalyzeOptions{})
			t.Logf("suspects:%s", describe(sus))
			checkUniqueSites(t, sus)
			gt := snap.GroundTruth
			switch snap.Pattern {
			case "a":
				checkTimers(t, sus, gt.Groups)
			case "c":
				for _, g := range groupsWith(gt.Groups, "leaked") {
					if pos := closurePos(g); pos != nil {
						expectAt(t, sus, CodeRecursiveAsync, pos, g.Measured.Count)
					}
				}
			case "e":
				checkAwaiter(t, sus, gt.Groups)
			}
			if !gt.Leaks {
				for _, s := range sus {
					t.Errorf("control scenario %s: unexpected suspect %s at %s:%d:%d: %s", snap.Scenario, s.Code,
						s.Site.Script, s.Site.Line, s.Site.Column, s.Message)
				}
			}
		})
	}
}

// checkTimers: LEAK101 at the timer callback with the finished-timeout
// count, naming the ALS store that leaks; the callback site must not be
// reported again by the closure-site detector.
func checkTimers(t *testing.T, sus []Suspect, groups []fixtureGroup) {
	t.Helper()
	var store string
	for _, g := range groupsWith(groups, "leaked") {
		store = g.Match.NodeName
	}
	var timeouts int
	var created []fixturePos // allocation frames of the Timeouts (tracked snapshots)
	for _, g := range groupsWith(groups, "retainer") {
		if g.Match.NodeName == "Timeout" {
			timeouts = g.Measured.Count
			if a := g.Measured.Allocation; a != nil && len(a.Top) > 0 {
				created = a.Top[:1]
			}
		}
	}
	cbs := groupsWith(groups, "closure")
	if len(cbs) == 0 || store == "" || timeouts == 0 {
		t.Fatal("manifest: pattern a lacks closure/leaked/retainer groups")
	}
	for _, g := range cbs {
		s := expectAt(t, sus, CodeRetainedTimeout, g.Match.ClosureAt, timeouts)
		if s == nil {
			continue
		}
		found := false
		for _, r := range s.Related {
			found = found || strings.Contains(r.Note, store)
		}
		if !found || !strings.Contains(s.Message, store) {
			t.Errorf("LEAK101 does not name the leaked store %s: %s %+v", store, s.Message, s.Related)
		}
		for _, c := range created {
			found := false
			for _, r := range s.Related {
				found = found || c.at(r.Site)
			}
			if !found {
				t.Errorf("LEAK101 lacks the timers' allocation frame %s: %+v", &c, s.Related)
			}
		}
		if n := len(find(sus, CodeClosureSite, g.Match.ClosureAt)); n != 0 {
			t.Errorf("timer callback site %s reported again by LEAK110", g.Match.ClosureAt)
		}
	}
}

// checkAwaiter: LEAK104 at the generator function with the generator
// count, the __awaiter helper as related site, and no LEAK110 for the
// helper's closures (they are part of the chain).
func checkAwaiter(t *testing.T, sus []Suspect, groups []fixtureGroup) {
	t.Helper()
	var s *Suspect
	var genPos *fixturePos
	for _, g := range groupsWith(groups, "leaked") {
		if pos := closurePos(g); pos != nil && g.Match.EdgeTo != nil {
			genPos = pos
			s = expectAt(t, sus, CodeAwaiterChain, pos, g.Measured.Count)
		}
	}
	if genPos == nil {
		t.Fatal("manifest: pattern e lacks the generator group")
	}
	if len(find(sus, CodeRecursiveAsync, genPos)) != 0 {
		t.Errorf("generator chain misreported as native async recursion")
	}
	if s == nil {
		return
	}
	for _, g := range groups {
		if g.Enclosing == nil || g.Enclosing.Function != "__awaiter" {
			continue
		}
		found := false
		for _, r := range s.Related {
			found = found || g.Enclosing.at(r.Site)
		}
		if !found {
			t.Errorf("LEAK104 lacks the __awaiter helper %s as related site: %+v", g.Enclosing, s.Related)
		}
	}
	for _, g := range groupsWith(groups, "closure") {
		if n := len(find(sus, CodeClosureSite, g.Match.ClosureAt)); n != 0 {
			t.Errorf("__awaiter closure site %s reported again by LEAK110", g.Match.ClosureAt)
		}
	}
}

// checkUniqueSites: one suspect per (code, site), positions in range.
func checkUniqueSites(t *testing.T, sus []Suspect) {
	t.Helper()
	seen := map[string]bool{}
	for _, s := range sus {
		k := fmt.Sprintf("%s %s:%d:%d", s.Code, s.Site.Script, s.Site.Line, s.Site.Column)
		if s.Site.Script == "" { // no source position: a class, told apart by its name
			k += " " + s.Site.Function
		}
		if seen[k] {
			t.Errorf("duplicate suspect %s", k)
		}
		seen[k] = true
		if s.Site.Line < 0 || s.Site.Column < 0 {
			t.Errorf("bad site %+v", s.Site)
		}
	}
}

// fixturesDir is the shared heap fixture directory.
func fixturesDir(t testing.TB) string { return shared.HeapFixtures(t) }
