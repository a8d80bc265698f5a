package heap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Ground truth of heap/testdata (see testdata/README.md).
type localManifest struct {
	Snapshots []struct {
		File     string       `json:"file"`
		Baseline string       `json:"baseline"`
		Program  string       `json:"program"`
		Suffix   string       `json:"script_path_suffix"`
		Leaks    bool         `json:"leaks"`
		Expect   []localTruth `json:"expect"`
		Absent   []localTruth `json:"absent"`
	} `json:"snapshots"`
}

type localTruth struct {
	Code   string `json:"code"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Text   string `json:"text"`
	Count  int    `json:"count"`
	Before int    `json:"before"`
	Growth int    `json:"growth"`
	Holder string `json:"holder"` // edge name the growing collection is reached by
}

// TestAnalyzeTestdata runs the positive and negative cases of the
// detectors without a shared fixture (LEAK105 timers, LEAK120 growth).
func TestAnalyzeTestdata(t *testing.T) {
	var m localManifest
	readJSON(t, filepath.Join("testdata", "manifest.json"), &m)
	for _, snap := range m.Snapshots {
		t.Run(filepath.Base(snap.File), func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", snap.Program))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(src), "\n")
			s := openSnapshot(t, filepath.Join("testdata", snap.File))
			opts := AnalyzeOptions{}
			if snap.Baseline != "" {
				opts.Baseline = NewBaseline(openSnapshot(t, filepath.Join("testdata", snap.Baseline)))
			}
			sus := Analyze(s, opts)
			t.Logf("suspects:%s", describe(sus))
			checkUniqueSites(t, sus)
			for _, want := range snap.Expect {
				pos := truthPos(t, lines, snap.Suffix, want)
				got := find(sus, want.Code, pos)
				if len(got) != 1 {
					t.Errorf("want one %s at %s, got %d", want.Code, pos, len(got))
					continue
				}
				g := got[0]
				if g.Count != want.Count {
					t.Errorf("%s at %s: count %d, want %d", want.Code, pos, g.Count, want.Count)
				}
				// A growth suspect says before and after itself; another
				// detector's suspect carries the growth folded into it.
				ownGrowth := want.Code == CodeGrowth
				if want.Growth != 0 && (g.Growth != want.Growth || ownGrowth && !strings.Contains(g.Message, "from "+itoa(want.Before)+" to")) {
					t.Errorf("%s at %s: growth %d (want %d), message %q (want before=%d)", want.Code, pos, g.Growth, want.Growth, g.Message, want.Before)
				}
				if want.Holder != "" && (g.Holder == nil || g.Holder.Edge != want.Holder) {
					t.Errorf("%s at %s: holder %+v, want one reached by .%s", want.Code, pos, g.Holder, want.Holder)
				}
				if g.RetainedBytes == 0 || len(g.Path) == 0 || g.Advice == "" {
					t.Errorf("%s at %s: incomplete suspect %+v", want.Code, pos, g)
				}
			}
			for _, no := range snap.Absent {
				pos := truthPos(t, lines, snap.Suffix, no)
				if got := find(sus, no.Code, pos); len(got) != 0 {
					t.Errorf("unexpected %s at %s: %s", no.Code, pos, got[0].Message)
				}
			}
			if !snap.Leaks {
				for _, s := range sus {
					if strings.HasSuffix(s.Site.Script, snap.Suffix) {
						t.Errorf("control: unexpected %s at %d:%d: %s", s.Code, s.Site.Line, s.Site.Column, s.Message)
					}
				}
			}
		})
	}
}

// truthPos checks the manifest entry against the program text (so a
// stale manifest fails loudly) and returns it as a fixture position.
func truthPos(t *testing.T, lines []string, suffix string, w localTruth) *fixturePos {
	t.Helper()
	if w.Line < 1 || w.Line > len(lines) || !strings.Contains(lines[w.Line-1], w.Text) {
		t.Fatalf("manifest position %d does not hold %q", w.Line, w.Text)
	}
	if l := lines[w.Line-1]; w.Column < 1 || w.Column > len(l) || l[w.Column-1] != '(' {
		t.Fatalf("manifest column %d:%d is not a function start", w.Line, w.Column)
	}
	return &fixturePos{File: suffix, Line: w.Line, Column: w.Column}
}

func itoa(v int) string { return uitoa(uint32(v)) }
