package jsscan

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzScan feeds arbitrary text to Scan as JavaScript, TypeScript and
// tsconfig: it must never panic (a recovered panic would show up as an
// "internal error" finding, which fails here too) and positions must lie
// inside the file.
func FuzzScan(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, name := range []string{"f.js", "f.ts", "tsconfig.json"} {
			for _, fd := range Scan(name, src) {
				if fd.Code == CodeParseError && len(fd.Message) > 30 && fd.Message[:29] == "cannot scan: internal error: " {
					t.Fatalf("%s: %s", name, fd.Message)
				}
				for _, p := range []Pos{fd.Range.Start, fd.Range.End} {
					if p.Offset < 0 || p.Offset > len(src) {
						t.Fatalf("%s: position %+v outside %d bytes", name, p, len(src))
					}
				}
				for _, fx := range fd.Fixes {
					if _, err := ApplyEdits(src, fx.Edits); err != nil {
						t.Fatalf("%s: fix %q: %v", name, fx.Title, err)
					}
				}
			}
		}
	})
}
