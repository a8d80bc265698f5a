package jsscan

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tdewolff/parse/v2/js"
)

// TestPositions checks the recovered positions on every testdata file: each
// positioned node holds its own text at its offset, in source order.
func TestPositions(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.js")
	files = append(files, filepath.Join("..", "testdata", "fixtures", "heap", "g-control.js"))
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := newSource(path, src)
		ast, err := js.Parse(parseInput(s), js.Options{})
		if err != nil {
			continue // the parse-error testdata
		}
		toks, _ := lexTokens(s)
		prev := -1
		for _, n := range flatten(s, toks, ast) {
			v, ok := n.n.(*js.Var)
			if !ok {
				continue
			}
			if n.off < 0 {
				t.Errorf("%s: identifier %s has no position", path, v.Data)
				continue
			}
			if got := string(src[n.off : n.off+n.size]); got != string(v.Data) {
				t.Errorf("%s:%d: identifier %s located at %q", path, s.pos(int(n.off)).Line+1, v.Data, got)
			}
			if int(n.off) <= prev {
				t.Errorf("%s: identifier %s at %d is not after %d", path, v.Data, n.off, prev)
			}
			prev = int(n.off)
		}
	}
}

func TestPosUTF16(t *testing.T) {
	s := newSource("x.js", []byte("a\r\n😀é x\nz"))
	if p := s.pos(strings.Index(string(s.buf), "x")); p.Line != 1 || p.Column != 4 {
		t.Errorf("pos of x = %+v, want line 1 col 4 (astral counts 2)", p)
	}
	if off, ok := s.offset(1, 4); !ok || s.buf[off] != 'x' {
		t.Errorf("offset(1,4) = %d %v", off, ok)
	}
	if p := s.pos(len(s.buf) - 1); p.Line != 2 || p.Column != 0 {
		t.Errorf("pos of z = %+v", p)
	}
}

func TestApplyEdits(t *testing.T) {
	src := []byte("abcdef")
	got, err := ApplyEdits(src, []Edit{
		{Range: offRange(4, 5), NewText: "E"},
		{Range: offRange(0, 0), NewText: ">"},
		{Range: offRange(1, 3), NewText: ""},
	})
	if err != nil || string(got) != ">adEf" {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := ApplyEdits(src, []Edit{{Range: offRange(1, 4)}, {Range: offRange(3, 5)}}); err == nil {
		t.Error("overlapping edits: want an error")
	}
	if _, err := ApplyEdits(src, []Edit{{Range: offRange(5, 9)}}); err == nil {
		t.Error("edit past the end: want an error")
	}
}

func TestRulesList(t *testing.T) {
	rs := Rules()
	want := []string{CodeParseError, CodeTimerToken, CodeTimerPrimitive, CodeRecursiveAwait, CodeDownlevelAsync, CodeIntervalPerObject}
	if len(rs) != len(want) {
		t.Fatalf("%d rules, want %d", len(rs), len(want))
	}
	for i, r := range rs {
		if r.Code != want[i] || r.Name == "" || r.Doc == "" {
			t.Errorf("rule %d = %s %q, want %s with name and doc", i, r.Code, r.Name, want[i])
		}
		if _, err := os.Stat(filepath.Join("..", "docs", "rules", r.Code+".md")); err != nil {
			t.Errorf("%s has no doc page: %v", r.Code, err)
		}
	}
}

func TestScanOtherFiles(t *testing.T) {
	for _, p := range []string{"a.d.ts", "README.md", "a.json", "x.go"} {
		if fs := Scan(p, []byte("async function f() { await f(); }")); len(fs) != 0 {
			t.Errorf("%s: %+v", p, fs)
		}
	}
}

func TestScanDir(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rec := "async function f() { await f(); }\n"
	write("a.js", rec)
	write("sub/b.ts", "async function g(): Promise<void> { await g(); }\n")
	write("node_modules/dep/index.js", rec)
	write(".git/x.js", rec)
	write("sub/tsconfig.json", `{"compilerOptions": {"target": "es2016"}}`)
	write("lib/tsconfig.json", `{"compilerOptions": {"target": "es2016"}}`) // no async code under lib/
	write("lib/util.js", "module.exports = 1;\n")

	fs, err := ScanDir(root, DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		rel, _ := filepath.Rel(root, f.Path)
		got = append(got, rel+":"+f.Code)
	}
	want := []string{"a.js:LEAK003", "sub/b.ts:LEAK003", "sub/tsconfig.json:LEAK004"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}

	fs, _ = ScanDir(root, DirOptions{IncludeNodeModules: true, Rules: map[string]bool{CodeRecursiveAwait: true}})
	got = got[:0]
	for _, f := range fs {
		rel, _ := filepath.Rel(root, f.Path)
		got = append(got, rel+":"+f.Code)
	}
	want = []string{"a.js:LEAK003", "node_modules/dep/index.js:LEAK003", "sub/b.ts:LEAK003"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("with node_modules, LEAK003 only: got %v, want %v", got, want)
	}

	if _, err := ScanDir(filepath.Join(root, "missing"), DirOptions{}); err == nil {
		t.Error("missing root: want an error")
	}
}

func TestPanicBecomesFinding(t *testing.T) {
	old := rules
	defer func() { rules = old }()
	rules = []*Rule{{Code: "LEAK999", Name: "boom", Run: func(*Pass) { panic("boom") }}}
	fs := Scan("a.js", []byte("async function f() { await f(); }"))
	if len(fs) != 1 || fs[0].Code != CodeParseError || !strings.Contains(fs[0].Message, "boom") {
		t.Errorf("got %+v", fs)
	}
}

// TestPositionsCorpus checks recovered identifier positions on a real
// corpus (bench/jsscan-corpus.sh installs one):
//
//	LEAKLSP_JSSCAN_CORPUS=.cache/jsscan-corpus/node_modules go test -run PositionsCorpus ./jsscan
func TestPositionsCorpus(t *testing.T) {
	root := os.Getenv("LEAKLSP_JSSCAN_CORPUS")
	if root == "" {
		t.Skip("LEAKLSP_JSSCAN_CORPUS is not set")
	}
	var files, vars, unknown, wrong, order int
	_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || langOf(path) != langJS {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		s := newSource(path, src)
		ast, err := js.Parse(parseInput(s), js.Options{})
		if err != nil {
			return nil
		}
		files++
		toks, _ := lexTokens(s)
		prev := -1
		for _, n := range flatten(s, toks, ast) {
			v, ok := n.n.(*js.Var)
			if !ok {
				continue
			}
			vars++
			if n.off >= 0 {
				if int(n.off) <= prev {
					order++ // two occurrences given the same or an earlier token
				}
				prev = int(n.off)
			}
			switch {
			case n.off < 0:
				unknown++
			case string(src[n.off:n.off+n.size]) != string(v.Data):
				wrong++
				if wrong < 10 {
					t.Errorf("%s:%d: %s located at %q", path, s.pos(int(n.off)).Line+1, v.Data, src[n.off:n.off+n.size])
				}
			}
		}
		return nil
	})
	t.Logf("%d files, %d identifier occurrences, %d without position, %d wrong text, %d out of source order", files, vars, unknown, wrong, order)
	if unknown*1000 > vars || order*1000 > vars {
		t.Errorf("more than 0.1%% of identifiers unlocated")
	}
}

// Many timers stored in one place share its clears: each clear gets one
// release from one finding's fix (applying every fix must not insert it N
// times), and the scan stays linear (it was quadratic in time and edits).
func TestSharedPlaceReleasedOnce(t *testing.T) {
	var b strings.Builder
	b.WriteString("let t;\n")
	const n = 300
	for i := range n {
		fmt.Fprintf(&b, "function f%d() { t = setTimeout(() => { go(); }, 1); clearTimeout(t); }\n", i)
	}
	fs := Scan("many.js", []byte(b.String()))
	if len(fs) != n {
		t.Fatalf("%d findings, want %d", len(fs), n)
	}
	edits := 0
	var all []Edit
	for _, f := range fs {
		for _, fx := range f.Fixes {
			edits += len(fx.Edits)
			all = append(all, fx.Edits...)
		}
	}
	if edits > 2*n { // one release in each callback, one after each clear
		t.Fatalf("%d edits for %d timers and %d clears", edits, n, n)
	}
	got, err := ApplyEdits([]byte(b.String()), all)
	if err != nil {
		t.Fatal(err)
	}
	if c := strings.Count(string(got), "t = null;"); c != 2*n {
		t.Fatalf("%d releases after applying every fix, want %d", c, 2*n)
	}
}

// A tsconfig is reported only when a file it compiles has async code:
// include, exclude and files decide which, inherited through extends
// relative to the config that wrote them (rxjs's src/tsconfig.esm.json).
func TestTSConfigCompiledFiles(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	async := "export async function f(): Promise<void> { await g(); }\n"
	write("a/tsconfig.json", `{"compilerOptions": {"target": "es2015"}, "include": ["src"]}`)
	write("a/src/x.ts", "export const x = 1;\n")
	write("a/scripts/build.ts", async) // not included
	write("b/tsconfig.json", `{"compilerOptions": {"target": "es2016"}, "exclude": ["test/**/*"]}`)
	write("b/test/t.ts", async) // excluded
	write("b/lib.ts", "export const y = 2;\n")
	write("c/base.json", `{"include": ["./src/**/*.ts"]}`)
	write("c/tsconfig.json", `{"extends": "./base.json", "compilerOptions": {"target": "es2015"}}`)
	write("c/src/deep/f.ts", async) // included through the base
	write("d/tsconfig.json", `{"compilerOptions": {"target": "es2015"}, "files": ["main.ts"]}`)
	write("d/main.ts", async)
	fs, err := ScanDir(root, DirOptions{Rules: map[string]bool{CodeDownlevelAsync: true}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		rel, _ := filepath.Rel(root, f.Path)
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{"c/tsconfig.json", "d/tsconfig.json"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tsconfig findings: got %v, want %v", got, want)
	}
}
