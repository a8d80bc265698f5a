package jsscan

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"
)

// lang is how a file is scanned, decided by its name.
type lang int

const (
	langNone lang = iota
	langJS
	langTS  // .ts .mts .cts
	langTSX // .tsx
	langJSX // .jsx
	langTSConfig
)

func langOf(path string) lang {
	base := filepath.Base(path)
	if base == "tsconfig.json" || strings.HasPrefix(base, "tsconfig.") && strings.HasSuffix(base, ".json") {
		return langTSConfig
	}
	switch filepath.Ext(base) {
	case ".js", ".mjs", ".cjs":
		return langJS
	case ".jsx":
		return langJSX
	case ".ts", ".mts", ".cts":
		if strings.HasSuffix(base, ".d.ts") || strings.HasSuffix(base, ".d.mts") || strings.HasSuffix(base, ".d.cts") {
			return langNone // declarations hold no code
		}
		return langTS
	case ".tsx":
		return langTSX
	}
	return langNone
}

// Scan runs every rule on one file. path decides the language by extension
// (.js .mjs .cjs .jsx .ts .mts .cts .tsx, tsconfig.json / tsconfig.*.json);
// other files give nothing. Findings honour leaklsp-ignore comments and
// come sorted by position.
func Scan(path string, src []byte) []Finding {
	sc := takeScratch()
	defer sc.give()
	return scanFile(path, src, nil, false, sc).findings
}

// result is one file's findings plus what ScanDir needs to know about it.
type result struct {
	findings  []Finding
	usesAsync bool // the file has async functions (for the tsconfig rule)
	unparsed  bool // the parser rejected the scanned text
}

// scanFile scans one file with the enabled rules (nil: all). A panic in
// the parser or a rule becomes a LEAK000 finding instead of a crash.
// owned says src is the scan's to keep and change (no copy is made); sc
// holds the token and node lists, reused from file to file.
func scanFile(path string, src []byte, enabled map[string]bool, owned bool, sc *scratch) (res result) {
	defer sc.clear()
	defer func() {
		if r := recover(); r != nil {
			res = result{findings: []Finding{parseError(newSource(path, src), path, 0,
				fmt.Sprintf("cannot scan: internal error: %v", r))}}
		}
	}()
	on := func(code string) bool { return enabled == nil || enabled[code] }
	l := langOf(path)
	if l != langTSConfig && !mayMatch(src) {
		// Before the copy, the line table and esbuild: most files of a
		// node_modules tree end here.
		return result{}
	}
	switch l {
	case langJS:
		var s *source
		if owned && !isShebang(src) { // a blanked shebang would change what esbuild reads below
			s = ownSource(path, src)
		} else {
			s = newSource(path, src)
		}
		res = scanJS(path, s, s, identity, on, sc)
		// JSX in a .js file (React code) is no JavaScript to tdewolff:
		// esbuild's JSX loader turns it into some, mapped back as for .jsx.
		if parseFailed(res) && bytes.IndexByte(src, '<') >= 0 {
			if jsx := scanTS(path, src, langJSX, on, sc); !parseFailed(jsx) {
				res = jsx
			}
		}
	case langTS:
		res = scanTypeScript(path, src, on, sc)
	case langTSX, langJSX:
		res = scanTS(path, src, l, on, sc)
	case langTSConfig:
		if on(CodeDownlevelAsync) {
			res.findings = checkTSConfig(path, src)
		}
	}
	sortFindings(res.findings)
	return res
}

func identity(off int) (int, bool, bool) { return off, true, true }

func parseFailed(r result) bool {
	return slices.ContainsFunc(r.findings, func(f Finding) bool { return f.Code == CodeParseError })
}

// triggers are the words without which no rule can fire; files with none
// of them are not parsed (about half of a node_modules tree), so they get
// no LEAK000 either (docs/rules/LEAK000.md). Per rule:
//   - LEAK001/002/005 report timers: setTimeout or setInterval (also as
//     timers.setTimeout, globalThis.setInterval, …).
//   - LEAK003 needs a suspension point: await, yield, or a call through
//     __awaiter/__async (es5 output has __awaiter beside __generator). An
//     async function that returns a call to itself with no await anywhere
//     recurses synchronously (a RangeError, not a leak of frames).
//   - LEAK004 in a source file is a __awaiter/__async helper; tsconfig
//     files are never skipped.
//
// __awaiter contains await, so it needs no search of its own.
var triggers = [][]byte{[]byte("setTimeout"), []byte("setInterval"), []byte("await"),
	[]byte("yield"), []byte("__async")}

// mayMatch reports whether b contains a trigger. bytes.Contains is
// vectorised: five calls beat one byte-at-a-time pass over anchor bytes
// (six calls were about 0.3 GB/s together, the pass 0.13 GB/s, measured).
func mayMatch(b []byte) bool {
	for _, t := range triggers {
		if bytes.Contains(b, t) {
			return true
		}
	}
	return false
}

// scanJS parses s (JavaScript) and runs the rules. orig and back describe
// the file as written when s is compiler output.
func scanJS(path string, s, orig *source, back mapper, on func(string) bool, sc *scratch) result {
	usesAsync := bytes.Contains(s.buf, []byte("async")) || bytes.Contains(s.buf, []byte("await"))
	ast, err := js.Parse(parseInput(s), js.Options{})
	var out []Finding
	if err != nil {
		toks, ignores := lexTokens(s)
		if !on(CodeParseError) {
			return result{usesAsync: usesAsync, unparsed: true}
		}
		off, msg := errorOffset(s, err)
		if o, _, ok := back(off); ok {
			off = o
		} else {
			off = 0
		}
		out = append(out, parseError(orig, path, off, msg))
		if on(CodeDownlevelAsync) && orig == s {
			out = append(out, helperByTokens(path, s, toks)...)
		}
		return result{findings: filterIgnored(out, ignores), usesAsync: usesAsync, unparsed: true}
	}
	if !hasCandidates(ast) {
		return result{usesAsync: usesAsync}
	}
	toks, ignores := lexTokensInto(s, sc.toks)
	nodes := flattenInto(s, toks, ast, sc.nodes)
	sc.toks, sc.nodes, sc.used = toks, nodes, max(sc.used, len(nodes))
	idx := &fileIndex{}
	for _, r := range rules {
		if !on(r.Code) {
			continue
		}
		p := &Pass{Path: path, AST: ast, rule: r, src: s, orig: orig, back: back,
			toks: toks, nodes: nodes, fileIndex: idx, report: func(f Finding) { out = append(out, f) },
			unreleased: map[clearKey][]int{}, clearsFixed: map[clearKey]bool{}}
		r.Run(p)
	}
	if orig != s { // comments of a TypeScript file are in the original
		ignores = nil
		if bytes.Contains(orig.buf, ignoreMarker) { // lexing it is a tenth of the scan
			sc.orig, ignores = lexTokensInto(orig, sc.orig)
		}
	}
	return result{findings: filterIgnored(out, ignores), usesAsync: usesAsync}
}

// errorOffset turns a parser error (1-based line, 1-based rune column)
// into a byte offset and a one-line message.
func errorOffset(s *source, err error) (int, string) {
	pe, ok := err.(*parse.Error)
	if !ok {
		return 0, "cannot scan: " + err.Error()
	}
	off := 0
	if lines, l := s.lineTable(), pe.Line-1; l >= 0 && l < len(lines) {
		off = lines[l]
		for c := 1; c < pe.Column && off < len(s.buf); c++ {
			_, n := decodeRune(s.buf[off:])
			off += n
		}
	}
	return off, fmt.Sprintf("cannot scan: %s (line %d)", pe.Message, pe.Line)
}

func parseError(s *source, path string, off int, msg string) Finding {
	end := off + 1
	if end > len(s.buf) {
		end = len(s.buf)
	}
	return Finding{Code: CodeParseError, Rule: "parse-error", Path: path, Range: s.rng(off, end),
		Severity: SeverityInfo, Message: msg}
}

func filterIgnored(fs []Finding, igs []ignore) []Finding {
	if len(igs) == 0 {
		return fs
	}
	out := fs[:0]
	for _, f := range fs {
		if !suppressed(igs, f.Code, f.Range.Start.Line) {
			out = append(out, f)
		}
	}
	return out
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Range.Start.Offset != b.Range.Start.Offset {
			return a.Range.Start.Offset < b.Range.Start.Offset
		}
		return a.Code < b.Code
	})
}

func parseInput(s *source) *parse.Input { return parse.NewInputBytes(s.buf) }
