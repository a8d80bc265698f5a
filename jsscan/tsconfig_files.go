package jsscan

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// A tsconfig's target only matters for the files the config compiles:
// "files", "include" and "exclude" decide them, as tsc does (inherited
// through "extends" when the config has none of its own, relative to the
// config that wrote them).

// fileSet is the part of a tsconfig that selects source files.
type fileSet struct {
	files    []string // absolute paths
	include  []*regexp.Regexp
	exclude  []*regexp.Regexp
	allowJS  bool
	explicit bool // files or include was given somewhere
}

// tsconfigFiles reads the file selection of the config at path. ok is
// false when the config cannot be read.
func tsconfigFiles(path string) (fileSet, bool) {
	var fs fileSet
	var haveFiles, haveInclude, haveExclude, haveAllowJS bool
	cur := path
	for depth := 0; depth < 8 && cur != ""; depth++ {
		b, err := os.ReadFile(cur)
		if err != nil {
			return fs, depth > 0
		}
		doc, err := parseJSONC(b)
		if err != nil {
			return fs, depth > 0
		}
		dir := filepath.Dir(cur)
		if v := doc.get("files"); v != nil && !haveFiles {
			haveFiles, fs.explicit = true, true
			for _, f := range strs(v) {
				fs.files = append(fs.files, filepath.Join(dir, f))
			}
		}
		if v := doc.get("include"); v != nil && !haveInclude {
			haveInclude, fs.explicit = true, true
			for _, g := range strs(v) {
				fs.include = append(fs.include, globRegexp(dir, g))
			}
		}
		if v := doc.get("exclude"); v != nil && !haveExclude {
			haveExclude = true
			for _, g := range strs(v) {
				fs.exclude = append(fs.exclude, globRegexp(dir, g))
			}
		}
		if v := doc.get("compilerOptions").get("allowJs"); v != nil && !haveAllowJS {
			haveAllowJS, fs.allowJS = true, v.kind == 'v' && v.str == "true"
		}
		e := doc.get("extends")
		if e == nil || e.kind != '"' {
			break
		}
		cur = resolveExtends(dir, e.str)
	}
	if !fs.explicit { // tsc's default: everything under the config's directory
		fs.include = []*regexp.Regexp{globRegexp(filepath.Dir(path), "**/*")}
	}
	if !haveExclude {
		for _, d := range []string{"node_modules", "bower_components", "jspm_packages"} {
			fs.exclude = append(fs.exclude, globRegexp(filepath.Dir(path), d))
		}
	}
	return fs, true
}

func strs(v *jvalue) []string {
	var out []string
	if v == nil || v.kind != '[' {
		return nil
	}
	for _, e := range v.vals {
		if e.kind == '"' {
			out = append(out, e.str)
		}
	}
	return out
}

// compiles reports whether the config compiles file (an absolute or
// root-relative path as ScanDir lists it).
func (fs fileSet) compiles(file string) bool {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".ts", ".tsx", ".mts", ".cts":
		if strings.HasSuffix(file, ".d.ts") {
			return false
		}
	case ".js", ".jsx", ".mjs", ".cjs":
		if !fs.allowJS {
			return false
		}
	default:
		return false
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return false
	}
	abs = filepath.ToSlash(abs)
	for _, f := range fs.files {
		if a, err := filepath.Abs(f); err == nil && filepath.ToSlash(a) == abs {
			return true
		}
	}
	in := false
	for _, re := range fs.include {
		if re.MatchString(abs) {
			in = true
			break
		}
	}
	if !in {
		return false
	}
	for _, re := range fs.exclude {
		if re.MatchString(abs) {
			return false
		}
	}
	return true
}

// globRegexp turns a tsconfig pattern (relative to dir; *, ?, **/) into a
// regexp over absolute slash paths. A pattern whose last segment has no
// wildcard and no extension names a directory: everything under it.
func globRegexp(dir, pattern string) *regexp.Regexp {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	p := strings.TrimSuffix(filepath.ToSlash(pattern), "/")
	if !filepath.IsAbs(p) {
		p = filepath.ToSlash(filepath.Join(abs, p))
	}
	last := p[strings.LastIndexByte(p, '/')+1:]
	dirLike := !strings.ContainsAny(last, "*?") && !strings.Contains(last, ".")
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(p); i++ {
		switch {
		case strings.HasPrefix(p[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case p[i] == '*':
			b.WriteString("[^/]*")
		case p[i] == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	if dirLike {
		b.WriteString("(?:/.*)?")
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}
