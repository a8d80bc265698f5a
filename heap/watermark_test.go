package heap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lastAssignedID is the highest V8 heap object id in s: the watermark a
// tracking pass taken instead of s would have reported, since a snapshot
// gives every live object an id and nothing else assigns them.
func lastAssignedID(s *Snapshot) uint32 {
	var last uint32
	for _, id := range s.NodeIDs {
		if id&1 == 1 {
			last = max(last, id)
		}
	}
	return last
}

// TestWatermarkBaseline runs the manifest's baseline cases with only the
// baseline's watermark: the growth, "before" count and holder of each
// expected finding are the ones the baseline snapshot gives. The churn
// cases (absent) are not checked: a watermark cannot tell a replaced
// object from an added one (watermark.go).
func TestWatermarkBaseline(t *testing.T) {
	var m localManifest
	readJSON(t, filepath.Join("testdata", "manifest.json"), &m)
	ran := 0
	for _, snap := range m.Snapshots {
		if snap.Baseline == "" {
			continue
		}
		ran++
		t.Run(filepath.Base(snap.File), func(t *testing.T) {
			lines := readLines(t, filepath.Join("testdata", snap.Program))
			base := openSnapshot(t, filepath.Join("testdata", snap.Baseline))
			s := openSnapshot(t, filepath.Join("testdata", snap.File))
			sus := Analyze(s, AnalyzeOptions{Baseline: NewWatermarkBaseline(lastAssignedID(base))})
			t.Logf("suspects:%s", describe(sus))
			for _, want := range snap.Expect {
				pos := truthPos(t, lines, snap.Suffix, want)
				got := find(sus, want.Code, pos)
				if len(got) != 1 {
					t.Fatalf("want one %s at %s, got %d", want.Code, pos, len(got))
				}
				g := got[0]
				if g.Count != want.Count || g.Growth != want.Growth {
					t.Errorf("%s at %s: count %d growth %d, want %d and %d", want.Code, pos, g.Count, g.Growth, want.Count, want.Growth)
				}
				if want.Code == CodeGrowth && !strings.Contains(g.Message, "from "+itoa(want.Before)+" to") {
					t.Errorf("%s at %s: message %q, want before=%d", want.Code, pos, g.Message, want.Before)
				}
				if want.Holder != "" && (g.Holder == nil || g.Holder.Edge != want.Holder) {
					t.Errorf("%s at %s: holder %+v, want one reached by .%s", want.Code, pos, g.Holder, want.Holder)
				}
			}
		})
	}
	if ran == 0 {
		t.Fatal("no manifest case with a baseline")
	}
}

// A V8 object is new against the watermark exactly when its id is not in
// the baseline snapshot; embedder nodes (native, or with the even ids V8
// derives from their labels) are never new against a watermark.
func TestWatermarkAgreesWithBaselineIDs(t *testing.T) {
	base := openSnapshot(t, filepath.Join("testdata", "snapshots", "growth-baseline.heapsnapshot.gz"))
	s := openSnapshot(t, filepath.Join("testdata", "snapshots", "growth-target.heapsnapshot.gz"))
	byIDs, mark := NewBaseline(base), NewWatermarkBaseline(lastAssignedID(base))
	fresh := 0
	for v := range uint32(s.NodeCount()) {
		a, b := byIDs.isNew(s, v), mark.isNew(s, v)
		if s.NodeKinds[v] == NodeNative || s.NodeIDs[v]&1 == 0 {
			if b {
				t.Fatalf("native node %d (id %d) new against a watermark", v, s.NodeIDs[v])
			}
			continue
		}
		if a != b {
			t.Fatalf("node %d (id %d, %s): new by ids %v, by watermark %v", v, s.NodeIDs[v], s.Strings.Get(s.NodeNames[v]), a, b)
		}
		if b {
			fresh++
		}
	}
	if fresh < 4000 { // growth.js: 2000 CacheEntry and 2000 Session objects at least
		t.Errorf("only %d new objects", fresh)
	}
}

// Negative: with the target's own last id as the watermark nothing is new,
// so nothing grew and no detector's finding carries growth.
func TestWatermarkNothingNew(t *testing.T) {
	s := openSnapshot(t, filepath.Join("testdata", "snapshots", "listeners-grown.heapsnapshot.gz"))
	sus := Analyze(s, AnalyzeOptions{Baseline: NewWatermarkBaseline(lastAssignedID(s)), Growth: GrowthThresholds{Objects: 1}})
	if len(sus) == 0 {
		t.Fatal("no suspects: the listeners leak should still be found without growth")
	}
	for _, x := range sus {
		if x.Code == CodeGrowth || x.Growth != 0 {
			t.Errorf("%s at %s:%d: growth %d with nothing new: %s", x.Code, x.Site.Script, x.Site.Line+1, x.Growth, x.Message)
		}
	}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(src), "\n")
}
