package regtest

import (
	"fmt"
	"strings"
	"unicode"
)

// plan is a generated test before it is text.
type plan struct {
	framework Framework
	esm       bool   // the test file is an ES module
	cjsModule bool   // the code under test is CommonJS (an ES test requires it through createRequire)
	file      string // the test file's name, next to the code
	module    string // the code's file name, imported as ./module
	exp       export // how the module exports the class
	class     string
	calls     []string // methods called on each new instance, in order
	codes     []string // the finding's codes (static, heap)
	site      string   // file:line:col of the finding
	why       string   // the finding's first sentence
}

// run is the command that runs the test alone.
func (p *plan) run() string {
	switch p.framework {
	case Jest:
		return "npx jest " + p.file
	case Vitest:
		return "npx vitest run " + p.file
	case Mocha:
		return "npx mocha " + p.file
	}
	return "node --test " + p.file
}

// render writes the test file.
func (p *plan) render() string {
	var b strings.Builder
	fmt.Fprintf(&b, "// Leak regression test written by leaklsp for %s at %s, confirmed by a heap snapshot:\n", strings.Join(p.codes, "/"), p.site)
	fmt.Fprintf(&b, "// %s\n", p.why)
	fmt.Fprintf(&b, "// It runs %s 100 times and fails, naming the line that keeps objects\n", p.pathText())
	fmt.Fprintf(&b, "// alive, while the leak is there; with the fix it passes. Run it: %s\n", p.run())
	if !p.esm {
		b.WriteString("'use strict';\n")
	}
	for _, l := range p.imports() {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n")
	name := fmt.Sprintf("%s does not leak (%s)", p.pathText(), p.codes[len(p.codes)-1])
	body := p.body("    ")
	switch p.framework {
	case Mocha:
		fmt.Fprintf(&b, "it(%s, async function () {\n  this.timeout(60_000);\n  await assertNoLeak(async () => {\n%s  });\n});\n", jsString(name), body)
	case Jest, Vitest:
		fmt.Fprintf(&b, "test(%s, async () => {\n  await assertNoLeak(async () => {\n%s  });\n}, 60_000);\n", jsString(name), body)
	default:
		fmt.Fprintf(&b, "test(%s, async () => {\n  await assertNoLeak(async () => {\n%s  });\n});\n", jsString(name), body)
	}
	return b.String()
}

// pathText is "new Poller(), stop()".
func (p *plan) pathText() string {
	parts := []string{"new " + p.class + "()"}
	for _, m := range p.calls {
		parts = append(parts, m+"()")
	}
	return strings.Join(parts, ", ")
}

// body constructs an instance and calls the methods, awaiting each (a
// method that returns no promise is not slowed down by it).
func (p *plan) body(indent string) string {
	v := variable(p.class)
	var b strings.Builder
	fmt.Fprintf(&b, "%sconst %s = new %s();\n", indent, v, p.class)
	for _, m := range p.calls {
		fmt.Fprintf(&b, "%sawait %s%s();\n", indent, v, access(m))
	}
	return b.String()
}

// imports are the test's import lines: the runner (node:test and vitest
// need one; Jest and Mocha have globals), leaklsp/testing, the code.
func (p *plan) imports() []string {
	var out []string
	code := "./" + p.module
	switch {
	case p.esm && p.framework == NodeTest:
		out = append(out, "import test from 'node:test';")
	case p.framework == NodeTest:
		out = append(out, "const test = require('node:test');")
	case p.framework == Vitest:
		out = append(out, "import { test } from 'vitest';")
	}
	if p.esm {
		out = append(out, "import { assertNoLeak } from 'leaklsp/testing';")
		if p.cjsModule {
			// Through Node's own require: the test runs the file as Node
			// loads it, with its own line numbers.
			out = append(out, "import { createRequire } from 'node:module';", "", "const require = createRequire(import.meta.url);", requireLine(p.exp, p.class, code))
		} else {
			out = append(out, importLine(p.exp, p.class, code))
		}
		return out
	}
	out = append(out, "const { assertNoLeak } = require('leaklsp/testing');")
	if p.framework == Jest {
		// Node's own require where Node has getBuiltinModule (20.16, 22.3):
		// Jest's require runs its transform, which moves the lines a
		// failure names.
		return append(out, "",
			"// Node's own require (Node ≥ 20.16): Jest's would transform the code and move its lines.",
			"const { createRequire } = process.getBuiltinModule?.('node:module') ?? require('node:module');",
			"const nodeRequire = createRequire(__filename);",
			strings.Replace(requireLine(p.exp, p.class, code), "require(", "nodeRequire(", 1))
	}
	return append(out, requireLine(p.exp, p.class, code))
}

func requireLine(e export, class, path string) string {
	if e.name == "" {
		return fmt.Sprintf("const %s = require(%s);", class, jsString(path))
	}
	if e.name == class {
		return fmt.Sprintf("const { %s } = require(%s);", class, jsString(path))
	}
	return fmt.Sprintf("const { %s: %s } = require(%s);", propertyKey(e.name), class, jsString(path))
}

func importLine(e export, class, path string) string {
	if e.name == "" {
		return fmt.Sprintf("import %s from %s;", class, jsString(path))
	}
	if e.name == class {
		return fmt.Sprintf("import { %s } from %s;", class, jsString(path))
	}
	return fmt.Sprintf("import { %s as %s } from %s;", jsString(e.name), class, jsString(path))
}

// variable names an instance: poller for Poller, instance when that would
// not be a plain identifier.
func variable(class string) string {
	r := []rune(class)
	if len(r) == 0 || !isIdent(class) {
		return "instance"
	}
	r[0] = unicode.ToLower(r[0])
	v := string(r)
	if v == class || reserved[v] {
		return "instance"
	}
	return v
}

// access is .name, or ["name"] for a name that is not an identifier
// (a method named by a string) and #name for a private one.
func access(m string) string {
	if isIdent(m) || strings.HasPrefix(m, "#") {
		return "." + m
	}
	return "[" + jsString(unquote(m)) + "]"
}

func propertyKey(k string) string {
	if isIdent(k) {
		return k
	}
	return jsString(k)
}

func isIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || r == '$' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r)) {
			return false
		}
	}
	return s != ""
}

var reserved = map[string]bool{"new": true, "class": true, "function": true, "default": true, "delete": true, "this": true, "var": true, "let": true, "const": true, "await": true, "yield": true}

// jsString quotes s as a single-quoted JavaScript string.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`, "\r", `\r`, "\u2028", `\u2028`, "\u2029", `\u2029`)
	return "'" + r.Replace(s) + "'"
}
