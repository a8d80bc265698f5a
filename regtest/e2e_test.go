package regtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/internal/nodetest"
	"github.com/leaklsp/leaklsp/jsscan"
	"github.com/leaklsp/leaklsp/report"
	"github.com/leaklsp/leaklsp/workspace"
)

// TestGeneratedTestRuns is the feature end to end on the repository's
// example (examples/poller): a real heap snapshot of its load confirms the
// static finding, the generated node:test file, run by real node with this
// checkout's leaklsp/testing, fails naming the labelled line, and passes
// once the quick fix is applied. With LEAKLSP_TESTING_FRAMEWORKS set to
// the directory npm/leaklsp/testing/test/install-frameworks.sh prints, the
// same is done for Jest, Vitest and Mocha.
func TestGeneratedTestRuns(t *testing.T) {
	node := nodetest.Binary(t)
	bin := leaklspBinary(t)
	runners := map[Framework]func(fw, file string) []string{
		NodeTest: func(_, file string) []string { return []string{node, "--test", file} },
	}
	if fw := os.Getenv("LEAKLSP_TESTING_FRAMEWORKS"); fw != "" {
		runners[Jest] = func(fw, file string) []string {
			return []string{node, filepath.Join(fw, "node_modules", ".bin", "jest"), "--ci", file}
		}
		runners[Vitest] = func(fw, file string) []string {
			return []string{node, filepath.Join(fw, "node_modules", ".bin", "vitest"), "run", "--pool", "forks", file}
		}
		runners[Mocha] = func(fw, file string) []string {
			return []string{node, filepath.Join(fw, "node_modules", ".bin", "mocha"), file}
		}
	}
	for f, command := range runners {
		t.Run(string(f), func(t *testing.T) {
			dir := exampleCopy(t, f)
			d := confirmedByHeap(t, node, dir)
			src := readT(t, d.File)
			test, err := For(d, src, dir)
			if err != nil {
				t.Fatal(err)
			}
			if test.Framework != f {
				t.Fatalf("framework %s, want %s", test.Framework, f)
			}
			if err := os.WriteFile(test.Path, []byte(test.Text), 0o644); err != nil {
				t.Fatal(err)
			}
			fw := os.Getenv("LEAKLSP_TESTING_FRAMEWORKS")
			run := func() (string, bool) {
				argv := command(fw, filepath.Base(test.Path))
				cmd := exec.Command(argv[0], argv[1:]...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "LEAKLSP_BINARY_PATH="+bin, "CI=1", "NO_COLOR=1")
				out, err := cmd.CombinedOutput()
				return string(out), err == nil
			}
			line := labelled(t, src, "// leak: LEAK105")
			if out, ok := run(); ok || !strings.Contains(out, "poller.js:"+line+":") {
				t.Fatalf("on the leaky code: passed=%v, want a failure naming poller.js:%s:\n%s\n%s", ok, line, test.Text, out)
			}
			applyFix(t, d)
			if out, ok := run(); !ok {
				t.Fatalf("with the fix applied the test fails:\n%s\n%s", readT(t, d.File), out)
			}
		})
	}
}

// exampleCopy copies examples/poller into a temporary project whose
// package.json names the runner f, with node_modules holding this
// checkout's leaklsp package (and the runner, from the frameworks cache).
func exampleCopy(t *testing.T, f Framework) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"poller.js", "load.js"} {
		if err := os.WriteFile(filepath.Join(dir, name), readT(t, filepath.Join("..", "examples", "poller", name)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pkg := `{"private":true}`
	if f != NodeTest {
		pkg = `{"private":true,"devDependencies":{"` + string(f) + `":"*"}}`
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(pkg), 0o644); err != nil {
		t.Fatal(err)
	}
	modules := filepath.Join(dir, "node_modules")
	if err := os.Mkdir(modules, 0o755); err != nil {
		t.Fatal(err)
	}
	link := func(name, target string) {
		if err := os.Symlink(target, filepath.Join(modules, name)); err != nil {
			t.Fatal(err)
		}
	}
	npm, err := filepath.Abs(filepath.Join("..", "npm", "leaklsp"))
	if err != nil {
		t.Fatal(err)
	}
	link("leaklsp", npm)
	if f == Vitest {
		link("vitest", filepath.Join(os.Getenv("LEAKLSP_TESTING_FRAMEWORKS"), "node_modules", "vitest"))
	}
	return dir
}

// confirmedByHeap runs the example's load in real node, analyses its heap
// snapshot and merges it with the static scan as the editor does; it
// returns the heap-confirmed LEAK105.
func confirmedByHeap(t *testing.T, node, dir string) *report.Diagnostic {
	t.Helper()
	snap := filepath.Join(t.TempDir(), "poller.heapsnapshot")
	cmd := exec.Command(node, "load.js", snap)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("load.js: %v\n%s", err, out)
	}
	s, err := heap.Open(snap, heap.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	located := report.Locate(heap.Analyze(s, heap.AnalyzeOptions{}), workspace.New([]string{dir}, workspace.Options{}))
	file := filepath.Join(dir, "poller.js")
	ds := report.Build(located, jsscan.Scan(file, readT(t, file)), func(p string) []byte { b, _ := os.ReadFile(p); return b })
	for i := range ds {
		if ds[i].Code == "LEAK105" && ds[i].Source == report.Both && ds[i].File == file {
			return &ds[i]
		}
	}
	t.Fatalf("no heap-confirmed LEAK105 in poller.js: %+v", ds)
	return nil
}

// applyFix applies d's preferred quick fix to its file on disk.
func applyFix(t *testing.T, d *report.Diagnostic) {
	t.Helper()
	src := readT(t, d.File)
	for _, f := range d.Fixes {
		if !f.Preferred {
			continue
		}
		out := string(src)
		for i := len(f.Edits) - 1; i >= 0; i-- { // edits come in order; apply from the end
			e := f.Edits[i]
			out = out[:e.Range.Start.Offset] + e.NewText + out[e.Range.End.Offset:]
		}
		if err := os.WriteFile(d.File, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatal("no preferred fix")
}

// labelled returns the 1-based line (as text) holding label.
func labelled(t *testing.T, src []byte, label string) string {
	t.Helper()
	for i, l := range strings.Split(string(src), "\n") {
		if strings.Contains(l, label) {
			return itoa(i + 1)
		}
	}
	t.Fatalf("no %q", label)
	return ""
}

// leaklspBinary is $LEAKLSP_BINARY_PATH, else a build of ./cmd/leaklsp.
func leaklspBinary(t *testing.T) string {
	t.Helper()
	if b := os.Getenv("LEAKLSP_BINARY_PATH"); b != "" {
		return b
	}
	bin := filepath.Join(t.TempDir(), "leaklsp")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/leaklsp/leaklsp/cmd/leaklsp").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func readT(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
