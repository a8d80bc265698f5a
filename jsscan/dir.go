package jsscan

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// DirOptions configures ScanDir.
type DirOptions struct {
	IncludeNodeModules bool
	Rules              map[string]bool // code -> enabled; nil = all enabled
}

// ScanDir scans every JS/TS file and tsconfig under root (root may also be
// a single file) on GOMAXPROCS workers. node_modules is skipped unless
// IncludeNodeModules, .git always. Findings come in path order, then
// position. A tsconfig finding is kept only when some scanned file under
// the config's directory uses async functions.
func ScanDir(root string, opts DirOptions) ([]Finding, error) {
	files, err := listFiles(root, opts.IncludeNodeModules)
	if err != nil {
		return nil, err
	}
	results := make([]result, len(files))
	// Largest files first, so one big bundle does not finish alone at the
	// end; results stay in path order.
	order := make([]int, len(files))
	size := make([]int64, len(files))
	for i, f := range files {
		order[i] = i
		if st, err := os.Stat(f); err == nil {
			size[i] = st.Size()
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return size[order[a]] > size[order[b]] })
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				b, err := os.ReadFile(files[i])
				if err != nil {
					continue
				}
				results[i] = scanFile(files[i], b, opts.Rules, true)
			}
		}()
	}
	for _, i := range order {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	var out []Finding
	for i, r := range results {
		if langOf(files[i]) == langTSConfig && len(r.findings) > 0 && !compilesAsync(files[i], files, results) {
			continue
		}
		out = append(out, r.findings...)
	}
	return out, nil
}

// compilesAsync reports whether some scanned file the tsconfig at config
// compiles (files / include / exclude, allowJs) uses async functions. A
// config that cannot be read keeps the old rule: any file under its
// directory.
func compilesAsync(config string, files []string, results []result) bool {
	set, ok := tsconfigFiles(config)
	prefix := filepath.Dir(config) + string(filepath.Separator)
	for i, f := range files {
		if !results[i].usesAsync {
			continue
		}
		if ok && set.compiles(f) || !ok && (filepath.Dir(config) == "." || strings.HasPrefix(f, prefix)) {
			return true
		}
	}
	return false
}

// listFiles returns the files to scan, in lexical order.
func listFiles(root string, nodeModules bool) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			return nil // unreadable entry: skip it, keep walking
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == ".git" || name == "node_modules" && !nodeModules) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && langOf(path) != langNone {
			files = append(files, path)
		}
		return nil
	})
	return files, err
}

// IsScannable reports whether Scan reads files with this name (JS/TS
// sources, tsconfig files); ScanDir scans exactly these.
func IsScannable(path string) bool { return langOf(path) != langNone }
