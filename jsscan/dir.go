package jsscan

import (
	"io/fs"
	"path/filepath"
	"runtime"
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
	q := newFileQueue()
	var walkErr error
	go func() {
		walkErr = walkFiles(root, opts.IncludeNodeModules, q.add)
		q.close()
	}()
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := &scratch{keep: workerKeep}
			for job := q.next(nil); job != nil; job = q.next(job) {
				if b, err := readSource(job.path); err == nil {
					job.res = scanFile(job.path, b, opts.Rules, true, sc)
				}
			}
		}()
	}
	wg.Wait()
	if walkErr != nil {
		return nil, walkErr
	}
	files := make([]string, len(q.all))
	results := make([]result, len(q.all))
	for i, job := range q.all {
		files[i], results[i] = job.path, job.res
	}
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
	err := walkFiles(root, nodeModules, func(path string, _ int64) { files = append(files, path) })
	return files, err
}

// walkFiles calls fn for each file to scan, in lexical order, with its
// size (0 when it cannot be read).
func walkFiles(root string, nodeModules bool, fn func(path string, size int64)) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
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
			var size int64
			if info, err := d.Info(); err == nil {
				size = info.Size()
			}
			fn(path, size)
		}
		return nil
	})
}

// IsScannable reports whether Scan reads files with this name (JS/TS
// sources, tsconfig files); ScanDir scans exactly these.
func IsScannable(path string) bool { return langOf(path) != langNone }
