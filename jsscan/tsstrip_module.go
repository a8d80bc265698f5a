package jsscan

import "github.com/tdewolff/parse/v2/js"

// Imports and exports for the stripper (tsstrip.go).

// importDecl parses an import declaration. Type-only imports are blanked;
// `import x = require("m")` becomes `const x = require("m")`.
func (s *stripper) importDecl(start int) {
	s.next()
	if s.atWord("type") && (s.peekIs(1, js.OpenBraceToken) || s.peekIs(1, js.MulToken) ||
		s.isName(1) && !s.peekWord(1, "from")) {
		s.toStmtEnd()
		s.blankWhole(s.toks[start].off)
		return
	}
	if js.IsIdentifierName(s.cur().tt) && s.peekIs(1, js.EqToken) {
		s.subs = append(s.subs, sub{at: int(s.toks[start].off), text: "const "})
		s.next()
		s.next()
		s.expr(exprStmt)
		s.semi()
		return
	}
	if js.IsIdentifierName(s.cur().tt) && !s.atWord("from") || s.atWord("from") && s.peekWord(1, "from") {
		s.next() // default import
		if s.at(js.CommaToken) {
			s.next()
		}
	}
	switch {
	case s.at(js.MulToken):
		s.next()
		s.expectWord("as")
		s.next()
	case s.at(js.OpenBraceToken):
		s.specifiers()
	}
	if s.atWord("from") {
		s.next()
	}
	s.expect(js.StringToken)
	s.attributes()
	s.semi()
}

func (s *stripper) expectWord(w string) {
	if !s.atWord(w) {
		s.failed = true
		return
	}
	s.next()
}

// attributes skips with { type: "json" } (or assert { … }).
func (s *stripper) attributes() {
	if (s.atWord("with") || s.atWord("assert")) && s.peekIs(1, js.OpenBraceToken) && !s.cur().nl {
		s.next()
		s.jump()
	}
}

// toStmtEnd moves past the module specifier and attributes of a type-only
// import or export and its ';'.
func (s *stripper) toStmtEnd() {
	for !s.failed && !s.eof() && !s.at(js.StringToken) && !s.at(js.SemicolonToken) {
		if s.at(js.OpenBraceToken) {
			s.jump()
			if !s.atWord("from") {
				break // export type { A };
			}
			continue
		}
		s.next()
	}
	if s.at(js.StringToken) {
		s.next()
		s.attributes()
	}
	s.semi()
}

// specifiers parses { a, b as c, type D, type E as F }: the type-only
// ones are blanked with their comma.
func (s *stripper) specifiers() {
	end := int(s.cur().match)
	s.next()
	for !s.failed && s.i < end {
		off := s.cur().off
		typeOnly := s.atWord("type") && (s.isName(1) || s.peekIs(1, js.StringToken)) && !s.peekWord(1, "as")
		if typeOnly {
			s.next()
		}
		if !s.isName(0) && !s.at(js.StringToken) {
			s.failed = true
			return
		}
		s.next()
		if s.atWord("as") {
			s.next()
			if !s.isName(0) && !s.at(js.StringToken) {
				s.failed = true
				return
			}
			s.next()
		}
		if s.at(js.CommaToken) {
			s.next()
		}
		if typeOnly {
			s.blankFrom(off)
		}
	}
	s.expect(js.CloseBraceToken)
}

// exportDecl parses an export declaration; exports of types are blanked
// with the export keyword.
func (s *stripper) exportDecl() {
	start := s.i
	s.next()
	switch {
	case s.atWord("type") && (s.peekIs(1, js.OpenBraceToken) || s.peekIs(1, js.MulToken)):
		s.toStmtEnd()
		s.blankWhole(s.toks[start].off)
	case s.at(js.EqToken), s.at(js.ImportToken):
		s.failed = true // export = x, export import a = b.c: CommonJS/namespace forms
	case s.atWord("as") && s.peekWord(1, "namespace"):
		s.toStmtEnd()
		s.blankWhole(s.toks[start].off)
	case s.at(js.DefaultToken):
		s.next()
		s.exportDefault(start)
	case s.at(js.OpenBraceToken):
		s.specifiers()
		if s.atWord("from") {
			s.next()
			s.expect(js.StringToken)
			s.attributes()
		}
		s.semi()
	case s.at(js.MulToken):
		s.next()
		if s.atWord("as") {
			s.next()
			s.next()
		}
		s.expectWord("from")
		s.expect(js.StringToken)
		s.attributes()
		s.semi()
	default:
		s.stmt(start)
	}
}

// exportDefault parses what follows export default.
func (s *stripper) exportDefault(start int) {
	switch {
	case s.at(js.InterfaceToken) || s.atWord("abstract") && s.peekIs(1, js.ClassToken):
		if !s.tsDecl(start) {
			s.failed = true
		}
	case s.at(js.FunctionToken), s.atWord("async") && s.peekIs(1, js.FunctionToken) && !s.peek(1).nl:
		s.function(start, true)
	case s.at(js.ClassToken):
		s.class()
	case s.atDecorator():
		s.decorators()
		s.exportDefault(start)
	default:
		s.exprStmt()
	}
}
