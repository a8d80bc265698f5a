package jsscan

import (
	"bytes"
	"unicode/utf8"
	"unsafe"
)

// source is one file's text plus what turns byte offsets into positions.
// buf has one spare byte of capacity so the parser writes its NUL sentinel
// in place: every []byte in the AST then aliases buf, which is how offsets
// are recovered from a position-less AST.
type source struct {
	path  string
	buf   []byte
	lines []int // byte offset of each line start; see lineTable
}

func newSource(path string, src []byte) *source {
	buf := make([]byte, len(src), len(src)+1)
	copy(buf, src)
	return ownSource(path, buf)
}

// ownSource is newSource for a buffer the scan may keep and change (the
// shebang blanked, the parser's sentinel after it): ScanDir's file reads,
// which os.ReadFile already gives a spare byte of capacity.
func ownSource(path string, buf []byte) *source {
	if cap(buf) == len(buf) {
		buf = append(buf[:len(buf):len(buf)], 0)[:len(buf)]
	}
	blankShebang(buf)
	return &source{path: path, buf: buf}
}

// lineTable returns the line starts, computed on first use: most files
// scanned report nothing and never need a position.
func (s *source) lineTable() []int {
	if s.lines == nil {
		s.lines = lineStarts(s.buf)
	}
	return s.lines
}

// blankShebang replaces a leading "#!" line with spaces: the parser skips it
// but the bare lexer stops on it, and offsets must stay unchanged.
func blankShebang(b []byte) {
	if !isShebang(b) {
		return
	}
	for i := 0; i < len(b) && b[i] != '\n' && b[i] != '\r'; i++ {
		b[i] = ' '
	}
}

func isShebang(b []byte) bool { return len(b) >= 2 && b[0] == '#' && b[1] == '!' }

func lineStarts(b []byte) []int {
	lines := make([]int, 1, len(b)/32+1)
	if bytes.IndexByte(b, '\r') < 0 { // LF only: the vectorised search
		for i := 0; ; {
			j := bytes.IndexByte(b[i:], '\n')
			if j < 0 {
				return lines
			}
			i += j + 1
			lines = append(lines, i)
		}
	}
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\n':
			lines = append(lines, i+1)
		case '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			lines = append(lines, i+1)
		}
	}
	return lines
}

// offsetOf returns the offset of a slice aliasing buf, or -1 when the slice
// was synthesized by the parser (shorthand keys, decoded escapes).
func (s *source) offsetOf(b []byte) int {
	if len(b) == 0 || len(s.buf) == 0 {
		return -1
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(s.buf)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	if p < base || p+uintptr(len(b)) > base+uintptr(len(s.buf)) {
		return -1
	}
	return int(p - base)
}

// line returns the 0-based line holding offset.
func (s *source) line(off int) int {
	lines := s.lineTable()
	lo, hi := 0, len(lines)
	for hi-lo > 1 {
		m := (lo + hi) / 2
		if lines[m] <= off {
			lo = m
		} else {
			hi = m
		}
	}
	return lo
}

// pos converts a byte offset to a 0-based line and UTF-16 column.
func (s *source) pos(off int) Pos {
	off = max(0, min(off, len(s.buf)))
	l := s.line(off)
	return Pos{Offset: off, Line: l, Column: utf16Len(s.buf[s.lineTable()[l]:off])}
}

func (s *source) rng(start, end int) Range {
	return Range{Start: s.pos(start), End: s.pos(max(start, end))}
}

// offset converts a 0-based line and UTF-16 column back to a byte offset.
func (s *source) offset(line, col int) (int, bool) {
	lines := s.lineTable()
	if line < 0 || line >= len(lines) {
		return 0, false
	}
	off := lines[line]
	for col > 0 && off < len(s.buf) && s.buf[off] != '\n' && s.buf[off] != '\r' {
		r, n := utf8.DecodeRune(s.buf[off:])
		col -= utf16Units(r)
		off += n
	}
	return off, col == 0
}

// lineEnd returns the offset of the end of the line holding off (before the
// line terminator).
func (s *source) lineEnd(off int) int {
	for off < len(s.buf) && s.buf[off] != '\n' && s.buf[off] != '\r' {
		off++
	}
	return off
}

// eol is the line terminator of the line holding off ("\r\n" in a CRLF
// file): inserted lines keep the file's line endings.
func (s *source) eol(off int) string {
	e := s.lineEnd(off)
	if e+1 < len(s.buf) && s.buf[e] == '\r' && s.buf[e+1] == '\n' {
		return "\r\n"
	}
	if lines := s.lineTable(); e >= len(s.buf) && len(lines) > 1 { // the last line: ask the one before
		if prev := lines[len(lines)-1] - 1; prev > 0 && s.buf[prev-1] == '\r' {
			return "\r\n"
		}
	}
	return "\n"
}

// indentAt returns the leading whitespace of the line holding off and
// whether off is the first non-blank character of that line.
func (s *source) indentAt(off int) (indent string, first bool) {
	start := s.lineTable()[s.line(off)]
	i := start
	for i < len(s.buf) && (s.buf[i] == ' ' || s.buf[i] == '\t') {
		i++
	}
	return string(s.buf[start:i]), i == off
}

func utf16Len(b []byte) int {
	n := 0
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			n++
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		n += utf16Units(r)
		b = b[size:]
	}
	return n
}

func utf16Units(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}
