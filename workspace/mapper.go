// Package workspace maps the script URLs a heap snapshot names
// (/srv/app/heap/a.js, file:///…, webpack://…) to files of the local
// workspace, and through source maps to the original (TypeScript) source.
//
// Positions are 0-based lines and 0-based UTF-16 columns, as V8, source maps
// and LSP use them.
package workspace

import (
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Options configures a Mapper.
type Options struct {
	// Mappings maps a path prefix as seen in the snapshot to a local
	// directory; relative directories are resolved against the first root.
	Mappings map[string]string
	// IncludeNodeModules lets suffix matching find files under node_modules.
	IncludeNodeModules bool
}

// Location is a resolved script position.
type Location struct {
	File   string // absolute local path
	Line   int    // 0-based
	Column int    // 0-based, UTF-16 code units
	// Generated is set when the position went through a source map: the
	// position in the generated (JavaScript) file.
	Generated *Location
}

// Mapper resolves script URLs to workspace files. It is safe for concurrent
// use; the file index and source maps are built lazily, once.
type Mapper struct {
	roots    []string
	mappings []prefixMapping // longest prefix first
	opts     Options

	indexOnce sync.Once
	index     *fileIndex

	mu   sync.Mutex
	maps map[string]*fileMap // generated file -> its source map (nil: none)
}

type prefixMapping struct{ from, to string }

// New returns a Mapper for the given workspace roots (absolute or relative
// to the current directory).
func New(roots []string, opts Options) *Mapper {
	m := &Mapper{opts: opts, maps: map[string]*fileMap{}}
	for _, r := range roots {
		if abs, err := filepath.Abs(r); err == nil {
			m.roots = append(m.roots, filepath.Clean(abs))
		}
	}
	for from, to := range opts.Mappings {
		if from == "" {
			continue
		}
		if !filepath.IsAbs(to) && len(m.roots) > 0 {
			to = filepath.Join(m.roots[0], to)
		}
		from = strings.TrimRight(slashPath(from), "/")
		m.mappings = append(m.mappings, prefixMapping{from: from, to: filepath.Clean(to)})
	}
	sort.Slice(m.mappings, func(i, j int) bool {
		if len(m.mappings[i].from) != len(m.mappings[j].from) {
			return len(m.mappings[i].from) > len(m.mappings[j].from)
		}
		return m.mappings[i].from < m.mappings[j].from
	})
	return m
}

// Resolve maps a script position to a workspace file, following a source
// map when the file has one. ok is false for node internals and scripts that
// match no workspace file.
func (m *Mapper) Resolve(script string, line, col int) (Location, bool) {
	file, ok := m.File(script)
	if !ok {
		return Location{}, false
	}
	loc := Location{File: file, Line: line, Column: col}
	if orig, ok := m.throughSourceMap(loc); ok {
		return orig, true
	}
	return loc, true
}

// File maps a script URL to a local file: prefix mappings first, then the
// path as-is inside a root, then the longest path-suffix match against the
// workspace's files.
func (m *Mapper) File(script string) (string, bool) {
	p, ok := scriptPath(script)
	if !ok {
		return "", false
	}
	for _, pm := range m.mappings {
		if rest, ok := cutPathPrefix(p, pm.from); ok {
			f := filepath.Join(pm.to, filepath.FromSlash(rest))
			if within(pm.to, f) && isFile(f) { // "/srv/app/../../etc/x" must not escape
				return f, true
			}
		}
	}
	if filepath.IsAbs(filepath.FromSlash(p)) && m.inRoots(filepath.FromSlash(p)) && isFile(p) {
		return filepath.Clean(filepath.FromSlash(p)), true
	}
	m.indexOnce.Do(func() { m.index = buildIndex(m.roots, m.opts.IncludeNodeModules) })
	return m.index.match(p)
}

func (m *Mapper) inRoots(p string) bool {
	for _, r := range m.roots {
		if within(r, p) {
			return true
		}
	}
	return false
}

// within reports whether p is root or below it.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// cutPathPrefix cuts prefix from p only at a path-component boundary.
func cutPathPrefix(p, prefix string) (string, bool) {
	if p == prefix {
		return "", true
	}
	if strings.HasPrefix(p, prefix+"/") {
		return p[len(prefix)+1:], true
	}
	return "", false
}

// scriptPath turns a script URL into a slash path. Node internals
// (node:…, internal/…) and URLs without a path have none.
func scriptPath(script string) (string, bool) {
	s := strings.TrimSpace(script)
	switch {
	case s == "", strings.HasPrefix(s, "node:"), strings.HasPrefix(s, "internal/"):
		return "", false
	case strings.HasPrefix(s, "file://"):
		u, err := url.Parse(s)
		if err != nil || u.Path == "" {
			return "", false
		}
		if isDrivePath(strings.TrimPrefix(u.Path, "/")) { // file:///C:/app/x.js
			return u.Path[1:], true
		}
		return u.Path, true
	case strings.Contains(s, "://"): // webpack://app/./src/x.ts, http://host/x.js
		_, rest, _ := strings.Cut(s, "://")
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			rest = rest[i:]
		} else {
			return "", false
		}
		if q := strings.IndexAny(rest, "?#"); q >= 0 {
			rest = rest[:q]
		}
		rest = strings.TrimPrefix(strings.ReplaceAll(rest, "/./", "/"), "/.")
		return rest, rest != "" && rest != "/"
	}
	return slashPath(s), true
}

// slashPath is p with slashes; Windows paths (C:\app\x.js, \\host\share)
// are converted on any OS, since a snapshot taken on Windows may be read
// elsewhere.
func slashPath(p string) string {
	if isDrivePath(p) || strings.HasPrefix(p, `\\`) {
		return strings.ReplaceAll(p, `\`, "/")
	}
	return filepath.ToSlash(p)
}

// isDrivePath reports a path that starts with a drive letter: C:\ or C:/.
func isDrivePath(p string) bool {
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') &&
		('a' <= p[0] && p[0] <= 'z' || 'A' <= p[0] && p[0] <= 'Z')
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
