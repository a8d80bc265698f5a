package workspace

import (
	"encoding/base64"
	"github.com/leaklsp/leaklsp/internal/shared"
	"os"
	"path/filepath"
	"testing"
)

func TestResolveFixtureScripts(t *testing.T) {
	fx := fixtures(t)
	tests := []struct {
		name     string
		mappings map[string]string
		script   string
		line     int
		wantFile string
		wantLine int
	}{
		// Ground truth: manifest script_path_in_snapshot + allocation_site.
		{"suffix", nil, "/srv/app/heap/a-timers-als.js", 29, "a-timers-als.js", 29},
		{"prefix-relative", map[string]string{"/srv/app/heap": "."}, "/srv/app/heap/a-timers-als.js", 29, "a-timers-als.js", 29},
		{"prefix-absolute", map[string]string{"/srv/app": filepath.Dir(fx)}, "/srv/app/heap/c-async-recursion.js", 21, "c-async-recursion.js", 21},
		{"file-url", nil, "file:///srv/app/heap/g-control.js", 57, "g-control.js", 57},
		{"nested-suffix", nil, "/somewhere/else/e-ts-awaiter/globals.d.ts", 0, "e-ts-awaiter/globals.d.ts", 0},
		// worker.js:31 (`function* () {` of Async.run) is worker.ts:22 `async run()`.
		{"sourcemap", nil, "/srv/app/heap/e-ts-awaiter/worker.js", 30, "e-ts-awaiter/worker.ts", 21},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := New([]string{fx}, Options{Mappings: tc.mappings})
			loc, ok := m.Resolve(tc.script, tc.line, 57)
			if !ok {
				t.Fatalf("Resolve(%q) not mapped", tc.script)
			}
			if want := filepath.Join(fx, tc.wantFile); loc.File != want || loc.Line != tc.wantLine {
				t.Fatalf("Resolve(%q) = %s:%d, want %s:%d", tc.script, loc.File, loc.Line, want, tc.wantLine)
			}
		})
	}
}

func TestSourceMapKeepsGenerated(t *testing.T) {
	fx := fixtures(t)
	m := New([]string{fx}, Options{})
	loc, ok := m.Resolve("/srv/app/heap/e-ts-awaiter/worker.js", 34, 25) // `const next = new Async(...)`
	if !ok || loc.Generated == nil {
		t.Fatalf("want a source-mapped location, got %+v ok=%v", loc, ok)
	}
	// manifest: worker.js:35:26 -> worker.ts:26:18 (1-based).
	if loc.Line != 25 || filepath.Base(loc.File) != "worker.ts" {
		t.Fatalf("got %s:%d, want worker.ts:25 (0-based)", loc.File, loc.Line)
	}
	if loc.Generated.Line != 34 || filepath.Base(loc.Generated.File) != "worker.js" {
		t.Fatalf("generated = %+v", loc.Generated)
	}
}

func TestUnmapped(t *testing.T) {
	fx := fixtures(t)
	m := New([]string{fx}, Options{})
	for _, s := range []string{"node:internal/timers", "node:events", "internal/process/task_queues", "", "/srv/app/nothere.js", "webpack://"} {
		if loc, ok := m.Resolve(s, 1, 1); ok {
			t.Errorf("Resolve(%q) = %+v, want unmapped", s, loc)
		}
	}
}

func TestMappingCannotEscape(t *testing.T) {
	fx := fixtures(t)
	m := New([]string{fx}, Options{Mappings: map[string]string{"/srv/app/heap": "."}})
	for _, s := range []string{"/srv/app/heap/../../../../etc/passwd", "/srv/app/heap/../heap/../../../etc/hostname"} {
		if loc, ok := m.Resolve(s, 0, 0); ok {
			t.Errorf("Resolve(%q) = %s, want unmapped", s, loc.File)
		}
	}
}

func TestNodeModulesAndWebpack(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "node_modules", "lib", "index.js"), "module.exports = 1\n")
	write(t, filepath.Join(root, "src", "app.js"), "x\n")
	script := "/opt/svc/node_modules/lib/index.js"
	if _, ok := New([]string{root}, Options{}).File(script); ok {
		t.Fatal("node_modules file matched although not enabled")
	}
	if f, ok := New([]string{root}, Options{IncludeNodeModules: true}).File(script); !ok || f != filepath.Join(root, "node_modules", "lib", "index.js") {
		t.Fatalf("with node_modules: %q %v", f, ok)
	}
	if f, ok := New([]string{root}, Options{}).File("webpack://svc/./src/app.js"); !ok || f != filepath.Join(root, "src", "app.js") {
		t.Fatalf("webpack URL: %q %v", f, ok)
	}
}

// A snapshot taken on Windows names its scripts C:\…\x.js or
// file:///C:/…/x.js; both map by suffix and by a prefix mapping written
// either way, on any OS.
func TestWindowsScriptPaths(t *testing.T) {
	root := t.TempDir()
	want := filepath.Join(root, "src", "job.js")
	write(t, want, "")
	write(t, filepath.Join(root, "other", "job.js"), "")
	for _, script := range []string{`C:\Users\dev\svc\src\job.js`, "file:///C:/Users/dev/svc/src/job.js"} {
		if f, ok := New([]string{root}, Options{}).File(script); !ok || f != want {
			t.Errorf("%s by suffix: %q %v", script, f, ok)
		}
		for _, from := range []string{`C:\Users\dev\svc\`, "C:/Users/dev/svc"} {
			m := New([]string{root}, Options{Mappings: map[string]string{from: root}})
			if f, ok := m.File(script); !ok || f != want {
				t.Errorf("%s with mapping %s: %q %v", script, from, f, ok)
			}
		}
	}
	if f, ok := New([]string{root}, Options{}).File(`D:\elsewhere\nothing.js`); ok {
		t.Errorf("unmatched Windows path mapped to %q", f)
	}
}

func TestLongestSuffixWins(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "a", "index.js"), "")
	write(t, filepath.Join(root, "b", "lib", "index.js"), "")
	f, ok := New([]string{root}, Options{}).File("/srv/b/lib/index.js")
	if !ok || f != filepath.Join(root, "b", "lib", "index.js") {
		t.Fatalf("got %q %v", f, ok)
	}
}

func TestInlineAndCommentSourceMap(t *testing.T) {
	root := t.TempDir()
	// gen.js line 1 maps to src/orig.ts line 3 ("AAEA": col 0, src 0, line +2, col 0).
	mapJSON := `{"version":3,"sources":["src/orig.ts"],"names":[],"mappings":";AAEA"}`
	write(t, filepath.Join(root, "src", "orig.ts"), "a\nb\nc\n")
	inline := "x\ny\n//# sourceMappingURL=data:application/json;base64," + base64.StdEncoding.EncodeToString([]byte(mapJSON)) + "\n"
	write(t, filepath.Join(root, "inline.js"), inline)
	write(t, filepath.Join(root, "out", "ref.js"), "x\ny\n//# sourceMappingURL=maps/ref.js.map\n")
	write(t, filepath.Join(root, "out", "maps", "ref.js.map"), `{"version":3,"sources":["../../src/orig.ts"],"names":[],"mappings":";AAEA"}`)
	// A map whose source is missing locally keeps the generated position.
	write(t, filepath.Join(root, "lonely.js"), "x\ny\n")
	write(t, filepath.Join(root, "lonely.js.map"), `{"version":3,"sources":["gone.ts"],"names":[],"mappings":";AAEA"}`)
	m := New([]string{root}, Options{})
	for _, script := range []string{"/x/inline.js", "/x/out/ref.js"} {
		loc, ok := m.Resolve(script, 1, 0)
		if !ok || loc.File != filepath.Join(root, "src", "orig.ts") || loc.Line != 2 {
			t.Errorf("%s: got %+v %v, want src/orig.ts line 2", script, loc, ok)
		}
	}
	// A map whose source is missing locally keeps the generated position.
	if loc, ok := m.Resolve("/x/lonely.js", 1, 0); !ok || loc.File != filepath.Join(root, "lonely.js") || loc.Line != 1 {
		t.Errorf("lonely: %+v %v", loc, ok)
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// FuzzResolve: any script string resolves or not, without panicking, and a
// resolved file always exists inside the workspace.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"/srv/app/heap/../../../../etc/passwd", "/srv/app/heap/a-timers-als.js", "file:///srv/app/heap/g-control.js", "webpack://x/./e-ts-awaiter/worker.js", "node:fs", "file://%zz", "webpack://", "a/../../etc/passwd", "", "/"} {
		f.Add(s, 30, 57)
	}
	fx := fixtures(f)
	m := New([]string{fx}, Options{Mappings: map[string]string{"/srv/app/heap": "."}})
	f.Fuzz(func(t *testing.T, script string, line, col int) {
		loc, ok := m.Resolve(script, line, col)
		if !ok {
			return
		}
		if _, err := os.Stat(loc.File); err != nil || !within(fx, loc.File) {
			t.Fatalf("Resolve(%q) = %s outside the workspace or missing", script, loc.File)
		}
	})
}

// fixtures is the shared heap fixture directory.
func fixtures(t testing.TB) string { return shared.HeapFixtures(t) }
