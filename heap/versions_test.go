package heap

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// versionsDir holds the version matrix (see its manifest.json).
var versionsDir = filepath.Join("..", "testdata", "fixtures", "versions")

type versionsManifest struct {
	Versions []string       `json:"versions"`
	Leaks    []versionsLeak `json:"leaks"`
}

type versionsLeak struct {
	ID          string   `json:"id"`
	Code        string   `json:"code"`
	Line        int      `json:"line"`
	Text        string   `json:"text"`
	LineTracked int      `json:"line_tracked"`
	TextTracked string   `json:"text_tracked"`
	LeaksOn     []string `json:"leaks_on"` // empty: every version
	Bug         string   `json:"bug"`
}

// line is the expected 1-based line in a plain or tracked snapshot.
func (l *versionsLeak) line(tracked bool) (int, string) {
	if tracked && l.LineTracked != 0 {
		return l.LineTracked, l.TextTracked
	}
	return l.Line, l.Text
}

func (l *versionsLeak) leaksOn(version string) bool {
	return len(l.LeaksOn) == 0 || slices.Contains(l.LeaksOn, version)
}

// TestVersionMatrix checks every detector on every Node version: each leak
// of leaks.js is found at its line exactly on the versions where the
// manifest says it exists, nothing else is reported in leaks.js, and
// nothing at all in control.js.
func TestVersionMatrix(t *testing.T) {
	var m versionsManifest
	readJSON(t, filepath.Join(versionsDir, "manifest.json"), &m)
	src, err := os.ReadFile(filepath.Join(versionsDir, "leaks.js"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	for _, l := range m.Leaks {
		for _, tracked := range []bool{false, true} {
			n, text := l.line(tracked)
			if n < 1 || n > len(lines) || !strings.Contains(lines[n-1], text) {
				t.Fatalf("manifest: %s line %d does not hold %q", l.ID, n, text)
			}
		}
	}
	for _, version := range m.Versions {
		for _, tracked := range []bool{false, true} {
			name := "leaks-" + version
			if tracked {
				name += ".tracked"
			}
			t.Run(name, func(t *testing.T) {
				sus := analyzeVersionFixture(t, name, version)
				checkVersionLeaks(t, m.Leaks, sus, version, tracked)
			})
		}
		name := "control-" + version
		t.Run(name, func(t *testing.T) {
			for _, s := range analyzeVersionFixture(t, name, version) {
				if strings.HasSuffix(s.Site.Script, "/control.js") {
					t.Errorf("control: unexpected %s at line %d: %s", s.Code, s.Site.Line+1, s.Message)
				}
			}
		})
	}
}

// analyzeVersionFixture loads one snapshot of the matrix, checks that the
// Node version read from the heap is the one the process printed, and runs
// every detector.
func analyzeVersionFixture(t *testing.T, name, version string) []Suspect {
	t.Helper()
	var run struct {
		Node string `json:"node"`
		V8   string `json:"v8"`
	}
	readJSON(t, filepath.Join(versionsDir, "snapshots", name+".run.json"), &run)
	if run.Node != "v"+version {
		t.Fatalf("%s.run.json: node %s, manifest says v%s", name, run.Node, version)
	}
	s, err := Open(filepath.Join(versionsDir, "snapshots", name+".heapsnapshot.gz"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if v := SnapshotNodeVersion(s); v.String() != run.Node || v.V8 != run.V8 {
		t.Errorf("SnapshotNodeVersion = %s (V8 %q), the process printed %s (V8 %q)", v, v.V8, run.Node, run.V8)
	}
	return Analyze(s, AnalyzeOptions{})
}

func checkVersionLeaks(t *testing.T, leaks []versionsLeak, sus []Suspect, version string, tracked bool) {
	t.Helper()
	matched := make([]bool, len(sus))
	for _, l := range leaks {
		line, _ := l.line(tracked)
		var at []int
		for i, s := range sus {
			if s.Code == l.Code && strings.HasSuffix(s.Site.Script, "/leaks.js") && s.Site.Line+1 == line {
				at = append(at, i)
			}
		}
		switch {
		case l.leaksOn(version) && len(at) != 1:
			t.Errorf("%s: want one %s at leaks.js:%d, got %d;%s", l.ID, l.Code, line, len(at), describe(sus))
		case !l.leaksOn(version) && len(at) != 0:
			t.Errorf("%s: fixed on v%s, but %s at leaks.js:%d: %s", l.ID, version, l.Code, line, sus[at[0]].Message)
		}
		for _, i := range at {
			matched[i] = true
			s := sus[i]
			if s.Message == "" || s.Advice == "" || s.RetainedBytes == 0 {
				t.Errorf("%s: incomplete suspect %+v", l.ID, s)
			}
			if l.Bug != "" && l.leaksOn(version) && !strings.Contains(s.Message, l.Bug) {
				t.Errorf("%s: message does not name %s: %s", l.ID, l.Bug, s.Message)
			}
		}
	}
	for i, s := range sus {
		if !matched[i] && strings.HasSuffix(s.Site.Script, "/leaks.js") {
			t.Errorf("unexpected %s at leaks.js:%d: %s", s.Code, s.Site.Line+1, s.Message)
		}
	}
}
