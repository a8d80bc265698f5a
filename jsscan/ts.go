package jsscan

import (
	"bytes"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/leaklsp/leaklsp/sourcemap"
)

// scanTypeScript scans a .ts/.mts/.cts file with its types blanked
// (tsstrip.go): the same offsets, so positions map by identity. Syntax
// blanking cannot express, or a blanked text the parser rejects (a wrong
// guess, or a file that is not valid TypeScript), takes esbuild's path,
// which also words the syntax errors.
func scanTypeScript(path string, src []byte, on func(string) bool, sc *scratch) result {
	out, async, ok := stripTypes(src)
	if !ok {
		return scanTS(path, src, langTS, on, sc)
	}
	gen := ownSource(path, out)
	orig := &source{path: path, buf: src} // the same lines: blanking keeps every line break
	if res := scanJS(path, gen, orig, identity, on, sc); !res.unparsed {
		res.usesAsync = async
		return res
	}
	return scanTS(path, src, langTS, on, sc)
}

// scanTS transforms TypeScript/TSX/JSX to ESNext JavaScript with esbuild
// (async/await and generators stay as written), scans the output and maps
// every position back through esbuild's source map.
func scanTS(path string, src []byte, l lang, on func(string) bool, sc *scratch) result {
	orig := newSource(path, src)
	loader := api.LoaderTS
	switch l {
	case langTSX:
		loader = api.LoaderTSX
	case langJSX:
		loader = api.LoaderJSX
	}
	out := api.Transform(string(src), api.TransformOptions{
		Loader:     loader,
		Sourcefile: path,
		Sourcemap:  api.SourceMapExternal,
		// The map is only read here: a copy of the source in it would
		// double what sourcemap.Parse has to decode.
		SourcesContent: api.SourcesContentExclude,
		Target:         api.ESNext,
		LogLevel:       api.LogLevelSilent,
		// Lowered so that tdewolff, which knows neither, can parse the output.
		Supported: map[string]bool{"decorators": false, "using": false},
	})
	if len(out.Errors) > 0 {
		if !on(CodeParseError) {
			return result{}
		}
		m := out.Errors[0]
		off := 0
		if loc, lines := m.Location, orig.lineTable(); loc != nil && loc.Line-1 < len(lines) && loc.Line > 0 {
			off = min(lines[loc.Line-1]+loc.Column, len(orig.buf))
		}
		line := 0
		if m.Location != nil {
			line = m.Location.Line
		}
		return result{findings: []Finding{parseError(orig, path, off,
			"cannot scan: "+m.Text+" (line "+itoa(line)+")")}}
	}
	if len(bytes.TrimSpace(out.Code)) == 0 {
		return result{} // type-only module
	}
	sm, err := esbuildMap(path, out.Map)
	if err != nil {
		return result{}
	}
	gen := newSource(path, out.Code)
	return scanJS(path, gen, orig, tsMapper(gen, orig, sm), on, sc)
}

// mappingsKey starts esbuild's "mappings" field. The bytes cannot occur
// inside a JSON string (its quotes would be escaped), and a mappings value
// is base64 with ',' and ';': no escapes, it ends at the next quote.
var mappingsKey = []byte(`"mappings": "`)

// esbuildMap decodes the source map of esbuild's Transform of one file.
// The mappings are cut out of the JSON directly (encoding/json was half
// the map's cost); anything unexpected falls back to sourcemap.Parse.
func esbuildMap(path string, m []byte) (*sourcemap.Map, error) {
	if i := bytes.Index(m, mappingsKey); i >= 0 {
		rest := m[i+len(mappingsKey):]
		if j := bytes.IndexByte(rest, '"'); j >= 0 {
			return sourcemap.FromMappings([]string{path}, string(rest[:j]))
		}
	}
	return sourcemap.Parse(m)
}

// tsMapper maps an offset in esbuild's output to the TypeScript file. A
// position is exact when the original holds the same token text there
// (esbuild maps every token it copies; it renames a few locals).
func tsMapper(gen, orig *source, sm *sourcemap.Map) mapper {
	return func(off int) (int, bool, bool) {
		p := gen.pos(off)
		_, line, col, ok := sm.Lookup(p.Line, p.Column)
		if !ok {
			return 0, false, false
		}
		o, ok := orig.offset(line, col)
		if !ok {
			return 0, false, false
		}
		end := identEnd(gen.buf, off)
		ident := end > off
		if !ident && off < len(gen.buf) {
			end = off + 1 // punctuation: the same character must be there
		}
		want := gen.buf[off:end]
		if o+len(want) <= len(orig.buf) && bytes.Equal(orig.buf[o:o+len(want)], want) {
			return o, true, true
		}
		// The nearest mapping may be an earlier token on the line: look for
		// the token's text further along the original line. Only names: a
		// ';' or ')' further along may be in a comment or another statement.
		if ident {
			if i := bytes.Index(orig.buf[o:orig.lineEnd(o)], want); i >= 0 {
				return o + i, true, true
			}
		}
		return o, false, true
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
