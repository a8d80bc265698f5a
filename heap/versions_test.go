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
	Versions []string `json:"versions"`
	Programs struct {
		Leaks    []string `json:"leaks"`
		Controls []string `json:"controls"`
	} `json:"programs"`
	Leaks []versionsLeak `json:"leaks"`
	Pairs []struct {
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
	Program     string   `json:"program"` // "" is leaks.js
	Code        string   `json:"code"`
	Line        int      `json:"line"`
	Text        string   `json:"text"`
	LineTracked int      `json:"line_tracked"`
	TextTracked string   `json:"text_tracked"`
	LeaksOn     []string `json:"leaks_on"` // empty: every version
	Bug         string   `json:"bug"`
	Count       int      `json:"count"`  // objects in the group, when given
	Says        string   `json:"says"`   // the message holds this
	Advice      string   `json:"advice"` // the advice holds this
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

func (l *versionsLeak) program() string {
	if l.Program == "" {
		return "leaks.js"
	}
	return l.Program
}

// TestVersionMatrix checks every detector on every Node version: each leak
// of a program (leaks.js, websocket.js) is found at its line exactly on
// the versions where the manifest says it exists, nothing else is
// reported for that program's snapshot, and a control (control.js,
// websocket-control.js) shows only the leaks the manifest lists for it
// (Node bugs).
func TestVersionMatrix(t *testing.T) {
	var m versionsManifest
	readJSON(t, filepath.Join(versionsDir, "manifest.json"), &m)
	checkManifestLines(t, m.Leaks)
	for _, version := range m.Versions {
		for _, program := range m.Programs.Leaks {
			for _, tracked := range []bool{false, true} {
				name := strings.TrimSuffix(program, ".js") + "-" + version
				if tracked {
					name += ".tracked"
				}
				t.Run(name, func(t *testing.T) {
					sus := analyzeVersionFixture(t, name, version)
					checkVersionLeaks(t, program, leaksOf(m.Leaks, program), sus, version, tracked)
				})
			}
		}
		for _, program := range m.Programs.Controls {
			name := strings.TrimSuffix(program, ".js") + "-" + version
			t.Run(name, func(t *testing.T) {
				sus := analyzeVersionFixture(t, name, version)
				checkVersionLeaks(t, program, leaksOf(m.Leaks, program), sus, version, false)
			})
		}
	}
}

// checkManifestLines: every line of the manifest holds its text.
func checkManifestLines(t *testing.T, leaks []versionsLeak) {
	t.Helper()
	for _, l := range leaks {
		src, err := os.ReadFile(filepath.Join(versionsDir, l.program()))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(src), "\n")
		for _, tracked := range []bool{false, true} {
			n, text := l.line(tracked)
			if n < 1 || n > len(lines) || !strings.Contains(lines[n-1], text) {
				t.Fatalf("manifest: %s %s line %d does not hold %q", l.ID, l.program(), n, text)
			}
		}
	}
}

func leaksOf(leaks []versionsLeak, program string) []versionsLeak {
	var out []versionsLeak
	for _, l := range leaks {
		if l.program() == program {
			out = append(out, l)
		}
	}
	return out
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

// checkVersionLeaks: each leak of program is reported once at its line
// where it exists and never where it does not; every other suspect of the
// snapshot is an error, wherever it points (a double report of a socket,
// something in node_modules/ws or in Node's own scripts).
func checkVersionLeaks(t *testing.T, program string, leaks []versionsLeak, sus []Suspect, version string, tracked bool) {
	t.Helper()
	matched := make([]bool, len(sus))
	for _, l := range leaks {
		line, _ := l.line(tracked)
		var at []int
		for i, s := range sus {
			if s.Code == l.Code && strings.HasSuffix(s.Site.Script, "/"+program) && s.Site.Line+1 == line {
				at = append(at, i)
			}
		}
		switch {
		case l.leaksOn(version) && len(at) != 1:
			t.Errorf("%s: want one %s at %s:%d, got %d;%s", l.ID, l.Code, program, line, len(at), describe(sus))
		case !l.leaksOn(version) && len(at) != 0:
			t.Errorf("%s: fixed on v%s, but %s at %s:%d: %s", l.ID, version, l.Code, program, line, sus[at[0]].Message)
		}
		for _, i := range at {
			matched[i] = true
			checkVersionSuspect(t, &l, sus[i], version)
		}
	}
	for i, s := range sus {
		if !matched[i] {
			t.Errorf("unexpected %s at %s:%d: %s", s.Code, s.Site.Script, s.Site.Line+1, s.Message)
		}
	}
}

// checkVersionSuspect checks what one found leak says: its counts, the
// bug of this version, the words the manifest asks for.
func checkVersionSuspect(t *testing.T, l *versionsLeak, s Suspect, version string) {
	t.Helper()
	if s.Message == "" || s.Advice == "" || s.RetainedBytes == 0 {
		t.Errorf("%s: incomplete suspect %+v", l.ID, s)
	}
	if l.Bug != "" && l.leaksOn(version) && !strings.Contains(s.Message, l.Bug) {
		t.Errorf("%s: message does not name %s: %s", l.ID, l.Bug, s.Message)
	}
	if l.Count != 0 && s.Count != l.Count {
		t.Errorf("%s: count %d, want %d: %s", l.ID, s.Count, l.Count, s.Message)
	}
	if !strings.Contains(s.Message, l.Says) {
		t.Errorf("%s: message does not say %q: %s", l.ID, l.Says, s.Message)
	}
	if !strings.Contains(s.Advice, l.Advice) {
		t.Errorf("%s: advice does not say %q: %s", l.ID, l.Advice, s.Advice)
	}
	checkStoreNote(t, l, s, version)
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
