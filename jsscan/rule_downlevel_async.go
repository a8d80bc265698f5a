package jsscan

import (
	"bytes"

	"github.com/tdewolff/parse/v2/js"
)

var downlevelAsyncRule = &Rule{
	Code: CodeDownlevelAsync,
	Name: "downlevel-async",
	Doc: "Async functions compiled to generators (TypeScript's __awaiter/__generator for targets below es2017, " +
		"esbuild's __async) are slow and leaky on Node 11.0-12.15, and recursion through them keeps a chain of " +
		"generator objects and helper closures per level. Compile with target es2017 or later (tsconfig " +
		"compilerOptions.target) so async/await stays native.",
	Run: runDownlevelAsync,
}

// runDownlevelAsync reports a file that runs async functions through a
// generator helper, once, at the helper's definition (or its first call
// when the helper is imported, e.g. tslib). Defining the helper without
// calling it (tslib itself) is not reported.
func runDownlevelAsync(p *Pass) {
	first, helper := -1, ""
	for i := range p.nodes {
		c, ok := p.nodes[i].n.(*js.CallExpr)
		if !ok || len(c.Args.List) == 0 {
			continue
		}
		name := helperName(c.X)
		if name != "__awaiter" && name != "__async" {
			continue
		}
		fn, ok := unparen(c.Args.List[len(c.Args.List)-1].Value).(*js.FuncDecl)
		if !ok || !fn.Generator {
			continue // es5's __awaiter runs a __generator state machine, no native generator
		}
		first, helper = p.child(i, c.X), name
		break
	}
	if first < 0 {
		return
	}
	at := p.spanOf(first)
	if d := p.helperDef(helper); d >= 0 {
		at = p.spanOf(d)
	}
	what := "TypeScript's __awaiter helper (target below es2017)"
	if helper == "__async" {
		what = "esbuild's __async helper (target below es2017)"
	}
	p.reportAt(at, "async functions here run as generators through "+what+": slow and leaky on Node 11.0-12.15, and recursion through them builds generator chains; compile with target es2017 or later", nil, nil)
}

// helperDef finds the declaration of the helper: var __awaiter = ...,
// function __awaiter(...) or __awaiter = ....
func (p *Pass) helperDef(name string) int {
	for i := range p.nodes {
		v, ok := p.nodes[i].n.(*js.Var)
		if !ok || string(v.Data) != name {
			continue
		}
		switch n := p.nodes[int(p.nodes[i].parent)].n.(type) {
		case *js.BindingElement, *js.FuncDecl:
			return i
		case *js.BinaryExpr:
			if n.Op == js.EqToken && unparen(n.X) == js.IExpr(v) {
				return i
			}
		}
	}
	return -1
}

// helperByTokens is the fallback for files that do not parse: a helper
// definition found by the lexer alone (var __awaiter = / function __awaiter).
func helperByTokens(path string, s *source, toks []token) []Finding {
	for i := 1; i+1 < len(toks); i++ {
		b := s.buf[toks[i].off:toks[i].end]
		if !bytes.Equal(b, []byte("__awaiter")) && !bytes.Equal(b, []byte("__async")) {
			continue
		}
		switch toks[i-1].tt {
		case js.VarToken, js.LetToken, js.ConstToken, js.FunctionToken:
		default:
			continue
		}
		return []Finding{{Code: CodeDownlevelAsync, Rule: downlevelAsyncRule.Name, Path: path,
			Range: s.rng(int(toks[i].off), int(toks[i].end)), Severity: SeverityWarning,
			Message: "this file defines the " + string(b) + " helper: async functions compiled to generators are slow and leaky on Node 11.0-12.15; compile with target es2017 or later"}}
	}
	return nil
}
