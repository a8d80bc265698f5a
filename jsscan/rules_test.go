package jsscan

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// want is one expectation written next to the code: `// want CODE "regexp"`.
type want struct {
	line int // 0-based
	code string
	re   *regexp.Regexp
	met  bool
}

var wantRe = regexp.MustCompile(`(LEAK\d{3})\s+"((?:[^"\\]|\\.)*)"`)

func parseWants(t *testing.T, src []byte) []*want {
	var out []*want
	for i, line := range strings.Split(string(src), "\n") {
		k := strings.Index(line, "// want ")
		if k < 0 {
			continue
		}
		for _, m := range wantRe.FindAllStringSubmatch(line[k:], -1) {
			re, err := regexp.Compile(m[2])
			if err != nil {
				t.Fatalf("line %d: bad want regexp %q: %v", i+1, m[2], err)
			}
			out = append(out, &want{line: i, code: m[1], re: re})
		}
	}
	return out
}

// TestRules runs every file under testdata/<rule>/ and checks both ways:
// every want is met by a finding on its line, and every finding is wanted.
func TestRules(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		if langOf(path) == langNone {
			continue
		}
		n++
		t.Run(path, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			checkWants(t, path, src, Scan(path, src))
		})
	}
	if n < 20 {
		t.Fatalf("only %d testdata files found", n)
	}
}

func checkWants(t *testing.T, path string, src []byte, got []Finding) {
	t.Helper()
	wants := parseWants(t, src)
	for _, f := range got {
		ok := false
		for _, w := range wants {
			if !w.met && w.line == f.Range.Start.Line && w.code == f.Code && w.re.MatchString(f.Message) {
				w.met, ok = true, true
				break
			}
		}
		if !ok {
			t.Errorf("%s:%d:%d: unexpected %s: %s", path, f.Range.Start.Line+1, f.Range.Start.Column+1, f.Code, f.Message)
		}
	}
	for _, w := range wants {
		if !w.met {
			t.Errorf("%s:%d: no %s finding matching %q", path, w.line+1, w.code, w.re)
		}
	}
}

// TestFixGolden applies the preferred fix of every finding in files that
// have a .golden twin and compares the result.
func TestFixGolden(t *testing.T) {
	goldens, _ := filepath.Glob("testdata/*/*.golden")
	if len(goldens) < 5 {
		t.Fatalf("only %d golden files", len(goldens))
	}
	for _, g := range goldens {
		path := strings.TrimSuffix(g, ".golden")
		t.Run(path, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := os.ReadFile(g)
			var edits []Edit
			for _, f := range Scan(path, src) {
				for _, fx := range f.Fixes {
					if fx.Preferred || len(f.Fixes) == 1 {
						for _, e := range fx.Edits {
							if e.Path != path {
								t.Errorf("edit for %s in a fix for %s", e.Path, path)
							}
							checkEditPos(t, src, e)
						}
						edits = append(edits, fx.Edits...)
						break
					}
				}
			}
			got, err := ApplyEdits(src, edits)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("fixed %s:\n%s\nwant:\n%s", path, got, want)
			}
			for _, f := range Scan(path, got) { // a fix must never break the file
				if f.Code == CodeParseError {
					t.Errorf("%s no longer parses after the fixes: %s", path, f.Message)
				}
			}
		})
	}
}

// checkEditPos checks that an edit's line/column agree with its offset.
func checkEditPos(t *testing.T, src []byte, e Edit) {
	t.Helper()
	s := newSource("", src)
	for _, p := range []Pos{e.Range.Start, e.Range.End} {
		if q := s.pos(p.Offset); q != p {
			t.Errorf("edit position %+v, offset says %+v", p, q)
		}
	}
}
