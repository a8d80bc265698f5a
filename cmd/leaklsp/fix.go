package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/leaklsp/leaklsp/jsscan"
)

// applyFixes applies, per file, the safe fixes of the findings (the
// preferred fix of each finding when safe, else its first safe one),
// skipping fixes whose edits overlap one already taken. It tells stderr what
// it changed and returns the number of fixes applied.
func applyFixes(findings []jsscan.Finding, stderr io.Writer, root string) (int, error) {
	byFile := map[string][]jsscan.Edit{}
	count := map[string]int{}
	for _, f := range findings {
		fix, ok := safeFix(f)
		if !ok {
			continue
		}
		edits := make([]jsscan.Edit, len(fix.Edits))
		for i, e := range fix.Edits {
			if e.Path == "" {
				e.Path = f.Path
			}
			if abs, err := filepath.Abs(e.Path); err == nil {
				e.Path = abs
			}
			edits[i] = e
		}
		if overlapsAny(byFile, edits) {
			continue
		}
		for _, e := range edits {
			byFile[e.Path] = append(byFile[e.Path], e)
		}
		count[edits[0].Path]++
	}
	files := make([]string, 0, len(byFile))
	for f := range byFile {
		files = append(files, f)
	}
	sort.Strings(files)
	total := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			return total, err
		}
		out, err := jsscan.ApplyEdits(src, byFile[file])
		if err != nil {
			return total, fmt.Errorf("fixing %s: %w", file, err)
		}
		st, err := os.Stat(file)
		if err != nil {
			return total, err
		}
		if err := os.WriteFile(file, out, st.Mode().Perm()); err != nil {
			return total, err
		}
		total += count[file]
		fmt.Fprintf(stderr, "fixed %s: %d %s\n", display(root, file), count[file], plural(count[file], "fix", "fixes"))
	}
	return total, nil
}

func safeFix(f jsscan.Finding) (jsscan.Fix, bool) {
	for _, fx := range f.Fixes {
		if fx.Preferred && fx.Safe && len(fx.Edits) > 0 {
			return fx, true
		}
	}
	for _, fx := range f.Fixes {
		if fx.Safe && len(fx.Edits) > 0 {
			return fx, true
		}
	}
	return jsscan.Fix{}, false
}

// overlapsAny reports whether an edit touches one already planned for its
// file (insertions at the same point too: their order would be arbitrary).
func overlapsAny(byFile map[string][]jsscan.Edit, edits []jsscan.Edit) bool {
	for _, e := range edits {
		for _, h := range byFile[e.Path] {
			if e.Range.Start.Offset <= h.Range.End.Offset && h.Range.Start.Offset <= e.Range.End.Offset {
				return true
			}
		}
	}
	return false
}

func display(root, file string) string {
	if rel, err := filepath.Rel(root, file); err == nil && !filepath.IsAbs(rel) && rel != ".." && (len(rel) < 3 || rel[:3] != "../") {
		return filepath.ToSlash(rel)
	}
	return file
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
