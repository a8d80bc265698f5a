package jsscan

import (
	"os"
	"path/filepath"
	"strings"
)

// fixTarget is what the tsconfig fix sets: the oldest target that keeps
// async/await native (Node >= 8), so the fix changes as little as possible.
const fixTarget = "es2017"

// oldTargets lower async functions to native generators (__awaiter over
// function*), the shape V8 handles badly. es3/es5 lower them further, to a
// __generator state machine without native generators: slower and without
// async stack traces, but not this leak, so they are not reported.
var oldTargets = map[string]bool{"es6": true, "es2015": true, "es2016": true}

// emitsJS reports whether the config compiles JavaScript at all: noEmit
// and emitDeclarationOnly configs only type-check or write .d.ts files.
func emitsJS(doc *jvalue) bool {
	opts := doc.get("compilerOptions")
	for _, k := range []string{"noEmit", "emitDeclarationOnly"} {
		if v := opts.get(k); v != nil && v.kind == 'v' && v.str == "true" {
			return false
		}
	}
	return true
}

// checkTSConfig reports a compilerOptions.target below es2017, at the
// value, with a fix that sets es2017. A config without a target of its own
// that extends one with an old target is reported at its "extends", with a
// fix adding the target to its own compilerOptions. No target anywhere is
// not reported: the default depends on the compiler version.
func checkTSConfig(path string, src []byte) []Finding {
	s := newSource(path, src)
	doc, err := parseJSONC(src)
	if err != nil {
		return []Finding{parseError(s, path, 0, "cannot scan: tsconfig: "+err.Error())}
	}
	if !emitsJS(doc) {
		return nil
	}
	opts := doc.get("compilerOptions")
	if t := opts.get("target"); t != nil {
		if t.kind != '"' || !oldTargets[strings.ToLower(t.str)] {
			return nil
		}
		return []Finding{{
			Code: CodeDownlevelAsync, Rule: downlevelAsyncRule.Name, Path: path,
			Range: s.rng(t.start, t.end), Severity: SeverityWarning,
			Message: "target " + t.str + " compiles async functions to generators (__awaiter): slow and leaky on Node 11.0-12.15, and async recursion builds generator chains; use " + fixTarget + " or later",
			Fixes: []Fix{{Title: "Set target to " + fixTarget, Preferred: true,
				Edits: []Edit{{Path: path, Range: s.rng(t.start, t.end), NewText: `"` + fixTarget + `"`}}}},
		}}
	}
	ext := doc.get("extends")
	if ext == nil {
		return nil
	}
	var bases []*jvalue
	if ext.kind == '"' {
		bases = append(bases, ext)
	} else if ext.kind == '[' {
		bases = ext.vals
	}
	for i := len(bases) - 1; i >= 0; i-- { // later entries win
		b := bases[i]
		if b.kind != '"' {
			continue
		}
		target, from := inheritedTarget(filepath.Dir(path), b.str, 0)
		if target == "" {
			continue
		}
		if !oldTargets[strings.ToLower(target)] {
			return nil
		}
		f := Finding{Code: CodeDownlevelAsync, Rule: downlevelAsyncRule.Name, Path: path,
			Range: s.rng(b.start, b.end), Severity: SeverityWarning,
			Message: "target " + target + " (inherited from " + from + ") compiles async functions to generators (__awaiter): slow and leaky on Node 11.0-12.15; set " + fixTarget + " or later here"}
		if opts != nil && opts.kind == '{' {
			f.Fixes = []Fix{{Title: "Set target to " + fixTarget + " in this config", Preferred: true,
				Edits: []Edit{{Path: path, Range: s.rng(opts.start+1, opts.start+1),
					NewText: addTargetText(s, opts)}}}}
		}
		return []Finding{f}
	}
	return nil
}

// addTargetText is the text inserted after compilerOptions' '{'.
func addTargetText(s *source, opts *jvalue) string {
	if len(opts.vals) == 0 {
		return ` "target": "` + fixTarget + `" `
	}
	indent, _ := s.indentAt(opts.vals[0].start)
	return s.eol(opts.start) + indent + `"target": "` + fixTarget + `",`
}

// inheritedTarget follows "extends" (relative paths and node_modules
// packages) and returns the target of the nearest config that sets one.
func inheritedTarget(dir, ext string, depth int) (target, from string) {
	if depth > 8 {
		return "", ""
	}
	file := resolveExtends(dir, ext)
	if file == "" {
		return "", ""
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", ""
	}
	doc, err := parseJSONC(b)
	if err != nil {
		return "", ""
	}
	if t := doc.get("compilerOptions").get("target"); t != nil && t.kind == '"' {
		return t.str, ext
	}
	if e := doc.get("extends"); e != nil && e.kind == '"' {
		return inheritedTarget(filepath.Dir(file), e.str, depth+1)
	}
	return "", ""
}

func resolveExtends(dir, ext string) string {
	try := func(p string) string {
		for _, c := range []string{p, p + ".json", filepath.Join(p, "tsconfig.json")} {
			if st, err := os.Stat(c); err == nil && !st.IsDir() {
				return c
			}
		}
		return ""
	}
	if strings.HasPrefix(ext, ".") || filepath.IsAbs(ext) {
		p := ext
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, ext)
		}
		return try(p)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if f := try(filepath.Join(d, "node_modules", ext)); f != "" {
			return f
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}
