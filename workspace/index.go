package workspace

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
)

// fileIndex finds workspace files by base name, so a script path from
// another machine (/srv/app/src/a.js) can be matched on its longest common
// path suffix with a local file (/home/me/app/src/a.js).
type fileIndex struct {
	byBase map[string][]string // base name -> absolute paths, sorted
}

// skipDirs are never indexed: VCS metadata and caches hold no app sources.
var skipDirs = map[string]bool{".git": true, ".hg": true, ".svn": true, ".cache": true}

func buildIndex(roots []string, includeNodeModules bool) *fileIndex {
	ix := &fileIndex{byBase: map[string][]string{}}
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // unreadable entries are simply not candidates
			}
			if d.IsDir() {
				name := d.Name()
				if p != root && (skipDirs[name] || (name == "node_modules" && !includeNodeModules)) {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				ix.byBase[d.Name()] = append(ix.byBase[d.Name()], p)
			}
			return nil
		})
	}
	for _, ps := range ix.byBase {
		sort.Strings(ps)
	}
	return ix
}

// match returns the indexed file sharing the longest path suffix with the
// slash path p (at least the base name). Ties go to the shortest path, which
// is the least nested and most often the app's own copy.
func (ix *fileIndex) match(p string) (string, bool) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	base := parts[len(parts)-1]
	best, bestN := "", 0
	for _, cand := range ix.byBase[base] {
		n := commonSuffix(parts, strings.Split(filepath.ToSlash(cand), "/"))
		if n > bestN || (n == bestN && len(cand) < len(best)) {
			best, bestN = cand, n
		}
	}
	return best, bestN > 0
}

// commonSuffix counts equal trailing components of a and b.
func commonSuffix(a, b []string) int {
	n := 0
	for i, j := len(a)-1, len(b)-1; i >= 0 && j >= 0 && a[i] == b[j]; i, j = i-1, j-1 {
		n++
	}
	return n
}
