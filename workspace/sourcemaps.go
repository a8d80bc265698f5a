package workspace

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/leaklsp/leaklsp/sourcemap"
)

// fileMap is a generated file's decoded source map and the directory its
// relative sources are resolved against.
type fileMap struct {
	m   *sourcemap.Map
	dir string
}

// throughSourceMap maps loc to the original source when its file has a
// source map and the original file exists locally.
func (m *Mapper) throughSourceMap(loc Location) (Location, bool) {
	fm := m.sourceMap(loc.File)
	if fm == nil {
		return Location{}, false
	}
	src, line, col, ok := fm.m.Nearest(loc.Line, loc.Column)
	if !ok {
		return Location{}, false
	}
	orig := sourcePath(fm.dir, src)
	if orig == "" || !m.inRoots(orig) || !isFile(orig) {
		return Location{}, false
	}
	gen := loc
	return Location{File: orig, Line: line, Column: col, Generated: &gen}, true
}

// sourceMap returns the cached source map of file, loading it on first use.
func (m *Mapper) sourceMap(file string) *fileMap {
	m.mu.Lock()
	defer m.mu.Unlock()
	if fm, ok := m.maps[file]; ok {
		return fm
	}
	fm := loadSourceMap(file)
	m.maps[file] = fm
	return fm
}

// maxTail bounds how much of a generated file is searched for the
// sourceMappingURL comment, which compilers put on the last line.
const maxTail = 64 << 10

// loadSourceMap finds file's map through its `//# sourceMappingURL=`
// comment (a path or a data: URL) or, failing that, `<file>.map`.
func loadSourceMap(file string) *fileMap {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	dir := filepath.Dir(file)
	if ref := mappingURL(data); ref != "" {
		if raw, ok := decodeDataURL(ref); ok {
			return parseMap(raw, dir)
		}
		if p, err := url.PathUnescape(ref); err == nil && !strings.Contains(p, "://") {
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			if raw, err := os.ReadFile(p); err == nil {
				return parseMap(raw, filepath.Dir(p))
			}
		}
	}
	if raw, err := os.ReadFile(file + ".map"); err == nil {
		return parseMap(raw, dir)
	}
	return nil
}

func parseMap(raw []byte, dir string) *fileMap {
	sm, err := sourcemap.Parse(raw)
	if err != nil {
		return nil
	}
	return &fileMap{m: sm, dir: dir}
}

// mappingURL returns the value of the last sourceMappingURL comment.
func mappingURL(data []byte) string {
	if len(data) > maxTail {
		data = data[len(data)-maxTail:]
	}
	for _, marker := range [][]byte{[]byte("//# sourceMappingURL="), []byte("//@ sourceMappingURL=")} {
		if i := bytes.LastIndex(data, marker); i >= 0 {
			rest := data[i+len(marker):]
			if j := bytes.IndexAny(rest, " \t\r\n"); j >= 0 {
				rest = rest[:j]
			}
			return string(rest)
		}
	}
	return ""
}

// decodeDataURL decodes an inline `data:application/json;base64,…` map.
func decodeDataURL(ref string) ([]byte, bool) {
	if !strings.HasPrefix(ref, "data:") {
		return nil, false
	}
	meta, payload, ok := strings.Cut(ref[len("data:"):], ",")
	if !ok {
		return nil, false
	}
	if strings.HasSuffix(meta, ";base64") {
		raw, err := base64.StdEncoding.DecodeString(payload)
		return raw, err == nil
	}
	s, err := url.PathUnescape(payload)
	return []byte(s), err == nil
}

// sourcePath resolves a map's source entry against the map's directory.
func sourcePath(dir, src string) string {
	if strings.HasPrefix(src, "file://") {
		if u, err := url.Parse(src); err == nil {
			return filepath.FromSlash(u.Path)
		}
		return ""
	}
	if strings.Contains(src, "://") {
		p, ok := scriptPath(src)
		if !ok {
			return ""
		}
		src = strings.TrimPrefix(p, "/")
	}
	if filepath.IsAbs(src) {
		return filepath.Clean(src)
	}
	return filepath.Join(dir, filepath.FromSlash(src))
}
