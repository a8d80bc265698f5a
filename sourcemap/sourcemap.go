// Package sourcemap decodes source map v3 files (the .js.map files tsc,
// esbuild and bundlers write) and maps generated positions back to the
// original source. Lines are 0-based and columns are 0-based UTF-16 code
// units, as in the source map spec and in LSP.
//
// It is small on purpose: leaklsp needs only "generated position -> original
// position", so a hand-written VLQ decoder beats pulling in a dependency.
package sourcemap

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
)

// Map is a decoded source map.
type Map struct {
	File    string
	Sources []string // sourceRoot already applied
	Names   []string
	lines   [][]segment // per generated line, sorted by generated column
}

// segment is one mapping. src < 0 means the segment maps to no source.
type segment struct {
	genCol  int32
	src     int32
	srcLine int32
	srcCol  int32
}

type rawMap struct {
	Version    int      `json:"version"`
	File       string   `json:"file"`
	SourceRoot string   `json:"sourceRoot"`
	Sources    []string `json:"sources"`
	Names      []string `json:"names"`
	Mappings   *string  `json:"mappings"`
}

// Parse decodes a source map v3 document. Index maps ("sections") are not
// supported and return an error.
func Parse(data []byte) (*Map, error) {
	var raw rawMap
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("sourcemap: %w", err)
	}
	if raw.Version != 3 {
		return nil, fmt.Errorf("sourcemap: version %d, want 3", raw.Version)
	}
	if raw.Mappings == nil {
		return nil, errors.New("sourcemap: no mappings (index maps are not supported)")
	}
	m := &Map{File: raw.File, Names: raw.Names, Sources: make([]string, len(raw.Sources))}
	for i, s := range raw.Sources {
		m.Sources[i] = joinRoot(raw.SourceRoot, s)
	}
	lines, err := decodeMappings(*raw.Mappings, len(m.Sources))
	if err != nil {
		return nil, err
	}
	m.lines = lines
	return m, nil
}

// FromMappings builds a Map from a "mappings" string and its sources
// (sourceRoot applied) for a caller that already has them: a compiler's
// own output needs no JSON decoding, which is half of Parse's time.
func FromMappings(sources []string, mappings string) (*Map, error) {
	lines, err := decodeMappings(mappings, len(sources))
	if err != nil {
		return nil, err
	}
	return &Map{Sources: sources, lines: lines}, nil
}

func joinRoot(root, src string) string {
	if root == "" || strings.Contains(src, "://") || path.IsAbs(src) {
		return src
	}
	if strings.HasSuffix(root, "/") {
		return root + src
	}
	return root + "/" + src
}

// Lookup maps a generated position to the original one. It uses the last
// mapping at or before genCol on genLine, or the line's first mapping when
// genCol lies before it (V8 reports function starts, which often precede
// the first mapped token of a line). ok is false when the line has no
// mapping to a source.
func (m *Map) Lookup(genLine, genCol int) (source string, line, col int, ok bool) {
	if genLine < 0 || genLine >= len(m.lines) {
		return "", 0, 0, false
	}
	segs := m.lines[genLine]
	i := sort.Search(len(segs), func(i int) bool { return int(segs[i].genCol) > genCol }) - 1
	if i < 0 {
		i = 0
	}
	for ; i < len(segs); i++ { // skip segments without a source
		if s := segs[i]; s.src >= 0 {
			return m.Sources[s.src], int(s.srcLine), int(s.srcCol), true
		}
	}
	return "", 0, 0, false
}

// maxBacktrack bounds how far Nearest looks above an unmapped line.
const maxBacktrack = 3

// Nearest is Lookup with a fallback for lines that have no mapping: it
// takes the last mapping of the closest mapped line above (at most
// maxBacktrack lines up). Compilers leave their own wrapper lines unmapped —
// tsc's `return __awaiter(this, …, function* () {` has none — while V8
// reports exactly those positions for the lowered function, whose source is
// the line above (`async run() {`).
func (m *Map) Nearest(genLine, genCol int) (source string, line, col int, ok bool) {
	if source, line, col, ok = m.Lookup(genLine, genCol); ok {
		return
	}
	for l := genLine - 1; l >= 0 && l >= genLine-maxBacktrack && l < len(m.lines); l-- {
		segs := m.lines[l]
		for i := len(segs) - 1; i >= 0; i-- {
			if s := segs[i]; s.src >= 0 {
				return m.Sources[s.src], int(s.srcLine), int(s.srcCol), true
			}
		}
	}
	return "", 0, 0, false
}

// decodeMappings decodes the "mappings" string: lines separated by ';',
// segments by ',', each segment 1, 4 or 5 base64 VLQ fields, all but the
// generated column relative to the previous segment in the file.
func decodeMappings(s string, nsrc int) ([][]segment, error) {
	var (
		// One backing array for every line's segments: a segment per
		// ',' or ';' is an upper bound that avoids regrowing it.
		all                  = make([]segment, 0, strings.Count(s, ",")+strings.Count(s, ";")+1)
		lines                = make([][]segment, 0, strings.Count(s, ";")+1)
		start                int // first segment of the current line in all
		src, srcLine, srcCol int32
		fields               [5]int32
	)
	for pos := 0; pos <= len(s); {
		if pos == len(s) || s[pos] == ';' {
			line := all[start:len(all):len(all)]
			sortSegments(line)
			lines = append(lines, line)
			start = len(all)
			pos++
			fields[0] = 0 // generated column restarts on each line
			continue
		}
		if s[pos] == ',' {
			pos++
			continue
		}
		n := 0
		for pos < len(s) && s[pos] != ',' && s[pos] != ';' {
			if n == len(fields) {
				return nil, fmt.Errorf("sourcemap: offset %d: segment has more than 5 fields", pos)
			}
			v, next, err := vlq(s, pos)
			if err != nil {
				return nil, err
			}
			if n == 0 {
				fields[0] += v
			} else {
				fields[n] = v
			}
			n++
			pos = next
		}
		seg := segment{genCol: fields[0], src: -1}
		switch n {
		case 1:
		case 4, 5:
			src += fields[1]
			srcLine += fields[2]
			srcCol += fields[3]
			if src < 0 || int(src) >= nsrc || srcLine < 0 || srcCol < 0 {
				return nil, fmt.Errorf("sourcemap: offset %d: mapping out of range", pos)
			}
			seg.src, seg.srcLine, seg.srcCol = src, srcLine, srcCol
		default:
			return nil, fmt.Errorf("sourcemap: offset %d: segment with %d fields", pos, n)
		}
		all = append(all, seg)
	}
	return lines, nil
}

// sortSegments orders a line by generated column; compilers emit them in
// order, so the check usually saves the sort.
func sortSegments(segs []segment) {
	byCol := func(a, b segment) int { return cmp.Compare(a.genCol, b.genCol) }
	if !slices.IsSortedFunc(segs, byCol) {
		slices.SortStableFunc(segs, byCol)
	}
}

// vlq decodes one base64 VLQ number starting at s[pos].
func vlq(s string, pos int) (int32, int, error) {
	var result, shift int64
	for {
		if pos >= len(s) {
			return 0, pos, fmt.Errorf("sourcemap: offset %d: truncated VLQ", pos)
		}
		d := base64Value(s[pos])
		if d < 0 {
			return 0, pos, fmt.Errorf("sourcemap: offset %d: invalid base64 character %q", pos, s[pos])
		}
		pos++
		result += int64(d&31) << shift
		if d&32 == 0 {
			break
		}
		shift += 5
		if shift > 31 {
			return 0, pos, fmt.Errorf("sourcemap: offset %d: VLQ too long", pos)
		}
	}
	v := result >> 1
	if result&1 == 1 {
		v = -v
	}
	return int32(v), pos, nil
}

func base64Value(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	}
	return -1
}
