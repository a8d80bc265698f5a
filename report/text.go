package report

import (
	"bytes"
	"fmt"
	"regexp"
	"unicode/utf8"
)

// splitLines splits src at '\n' (a trailing '\r' stays on its line and is
// trimmed where it matters).
func splitLines(src []byte) [][]byte {
	if src == nil {
		return nil
	}
	return bytes.Split(src, []byte("\n"))
}

// lineRange is the range from p to the end of its line's text (trailing
// blanks excluded), so a heap diagnostic underlines the blamed code rather
// than a single character. Without text the range is empty at p.
func lineRange(lines [][]byte, p Pos) Range {
	if p.Line < 0 || p.Line >= len(lines) {
		return Range{p, p}
	}
	text := bytes.TrimRight(lines[p.Line], " \t\r;")
	end := UTF16Len(text)
	if end <= p.Column {
		return Range{p, p}
	}
	return Range{p, Pos{p.Line, end}}
}

// UTF16Len is the length of s in UTF-16 code units (LSP's default unit).
func UTF16Len(s []byte) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		s = s[size:]
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// ignoreRE matches a suppression comment: `// leaklsp-ignore LEAK001 LEAK101`
// (codes separated by blanks or commas; none means every code).
var ignoreRE = regexp.MustCompile(`//\s*leaklsp-ignore(?:-next-line)?\b([^\n]*)`)

// Suppressed reports whether a leaklsp-ignore comment that names code (or
// names no code at all) covers line: one at the end of the line itself, or
// one alone on the line above (a comment after code covers only its own
// line). These are the places jsscan honours for static findings.
func Suppressed(lines [][]byte, line int, code string) bool {
	if line >= 0 && line < len(lines) && ignores(lines[line], code) {
		return true
	}
	if line <= 0 || line > len(lines) {
		return false
	}
	above := bytes.TrimLeft(lines[line-1], " \t")
	return bytes.HasPrefix(above, []byte("//")) && ignores(above, code)
}

func ignores(line []byte, code string) bool {
	m := ignoreRE.FindSubmatch(line)
	if m == nil {
		return false
	}
	codes := bytes.FieldsFunc(m[1], func(r rune) bool { return r == ' ' || r == '\t' || r == ',' || r == '\r' })
	if len(codes) == 0 {
		return true
	}
	for _, c := range codes {
		if string(c) == code {
			return true
		}
	}
	return false
}

// unsuppressed drops diagnostics silenced by a comment naming their code.
func unsuppressed(ds []Diagnostic, lines [][]byte) []Diagnostic {
	out := ds[:0]
	for _, d := range ds {
		if d.File != "" && Suppressed(lines, d.Range.Start.Line, d.Code) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// HumanBytes formats a byte count in binary units, as the heap detectors
// word their messages ("640 KB", "2.1 MB").
func HumanBytes(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
