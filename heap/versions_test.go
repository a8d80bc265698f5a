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
	Pairs    []struct {
		Program string `json:"program"`
		Version string `json:"version"`
		Code    string `json:"code"`
		Line    int    `json:"line"`
		Text    string `json:"text"`
		Leaks   bool   `json:"leaks"`
	} `json:"baseline_pairs"`
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
	// StoreOn lists the versions where the leak keeps AsyncLocalStorage
	// stores; NoStoreOn those where AsyncContextFrame freed them and the
	// message must say so.
	StoreOn   []string `json:"store_on"`
	NoStoreOn []string `json:"no_store_on"`
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
	return analyzeVersionFixtureWith(t, name, version, "")
}

// analyzeVersionFixtureWith is analyzeVersionFixture with an optional
// baseline snapshot.
func analyzeVersionFixtureWith(t *testing.T, name, version, baseline string) []Suspect {
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
	opts := AnalyzeOptions{}
	if baseline != "" {
		b, err := Open(baseline, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		opts.Baseline = NewBaseline(b)
	}
	return Analyze(s, opts)
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
			checkStoreNote(t, &l, s, version)
		}
	}
	for i, s := range sus {
		if !matched[i] && strings.HasSuffix(s.Site.Script, "/leaks.js") {
			t.Errorf("unexpected %s at leaks.js:%d: %s", s.Code, s.Site.Line+1, s.Message)
		}
	}
}

// checkStoreNote: the message says what this snapshot shows about
// AsyncLocalStorage stores.
func checkStoreNote(t *testing.T, l *versionsLeak, s Suspect, version string) {
	t.Helper()
	if len(l.StoreOn) == 0 && len(l.NoStoreOn) == 0 {
		return
	}
	keeps := strings.Contains(s.Message, "AsyncLocalStorage store (RequestState)")
	freed := strings.Contains(s.Message, "No AsyncLocalStorage store is kept")
	switch {
	case slices.Contains(l.StoreOn, version) && (!keeps || freed):
		t.Errorf("%s on v%s: message should name the kept RequestState store: %s", l.ID, version, s.Message)
	case slices.Contains(l.NoStoreOn, version) && (keeps || !freed):
		t.Errorf("%s on v%s: message should say no store is kept (AsyncContextFrame): %s", l.ID, version, s.Message)
	case !slices.Contains(l.StoreOn, version) && !slices.Contains(l.NoStoreOn, version) && (keeps || freed):
		t.Errorf("%s on v%s: no AsyncLocalStorage in this Node, but the message talks about stores: %s", l.ID, version, s.Message)
	}
}

// TestPrototypeUsersBaseline: with a baseline of the same process, the
// growth of V8's prototype-users list (v8:10031) is found on the bad
// version and not on the first fixed one.
func TestPrototypeUsersBaseline(t *testing.T) {
	var m versionsManifest
	readJSON(t, filepath.Join(versionsDir, "manifest.json"), &m)
	if len(m.Pairs) == 0 {
		t.Fatal("manifest has no baseline_pairs")
	}
	for _, pair := range m.Pairs {
		t.Run(pair.Version, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(versionsDir, pair.Program))
			if err != nil {
				t.Fatal(err)
			}
			if lines := strings.Split(string(src), "\n"); pair.Line > len(lines) || !strings.Contains(lines[pair.Line-1], pair.Text) {
				t.Fatalf("manifest: %s:%d does not hold %q", pair.Program, pair.Line, pair.Text)
			}
			name := strings.TrimSuffix(pair.Program, ".js") + "-" + pair.Version
			sus := analyzeVersionFixtureWith(t, name, pair.Version, filepath.Join(versionsDir, "snapshots", name+".baseline.heapsnapshot.gz"))
			var got []Suspect
			for _, s := range sus {
				if s.Code == pair.Code && strings.HasSuffix(s.Site.Script, "/"+pair.Program) {
					got = append(got, s)
				}
			}
			switch {
			case pair.Leaks && (len(got) != 1 || got[0].Site.Line+1 != pair.Line || !strings.Contains(got[0].Message, "at the baseline")):
				t.Errorf("want one %s at %s:%d naming the baseline size;%s", pair.Code, pair.Program, pair.Line, describe(sus))
			case !pair.Leaks && len(got) != 0:
				t.Errorf("fixed version, but: %s", got[0].Message)
			}
		})
	}
}
