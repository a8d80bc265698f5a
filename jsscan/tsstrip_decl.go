package jsscan

import "github.com/tdewolff/parse/v2/js"

// Declarations for the stripper (tsstrip.go): TypeScript-only ones,
// functions, classes, imports and exports.

// tsDecl handles a statement that starts with a TypeScript word
// (interface, type, declare, abstract, namespace, module); false when the
// word is an ordinary identifier here.
func (s *stripper) tsDecl(start int) bool {
	sameLineName := s.isName(1) && !s.peek(1).nl
	switch {
	case s.at(js.InterfaceToken) && sameLineName:
		s.next()
		s.next()
		if s.at(js.LtToken) && !s.skipTypeParams() {
			s.failed = true
		}
		if s.at(js.ExtendsToken) {
			s.next()
			s.typeList()
		}
		if !s.at(js.OpenBraceToken) {
			s.failed = true
			return true
		}
		s.jump()
	case s.atWord("type") && sameLineName && (s.peekIs(2, js.EqToken) || s.peekIs(2, js.LtToken)):
		s.next()
		s.next()
		if s.at(js.LtToken) && !s.skipTypeParams() {
			s.failed = true
		}
		s.expect(js.EqToken)
		if !s.skipType() {
			s.failed = true
		}
		s.semi()
	case s.atWord("declare") && sameLineName:
		s.next()
		s.declared()
	case s.atWord("abstract") && s.peekIs(1, js.ClassToken) && !s.peek(1).nl:
		s.blankTok()
		s.class()
		return true
	case (s.atWord("namespace") || s.atWord("module")) && !s.peek(1).nl &&
		(js.IsIdentifier(s.peek(1).tt) || s.peekIs(1, js.StringToken)):
		s.failed = true // a namespace holds values: esbuild's path
		return true
	default:
		return false
	}
	s.blankWhole(s.toks[start].off)
	return true
}

// typeList: A, B<C> after extends or implements.
func (s *stripper) typeList() {
	for !s.failed {
		if !s.skipType() {
			s.failed = true
			return
		}
		if !s.at(js.CommaToken) {
			return
		}
		s.next()
	}
}

// declared parses what follows declare (all of it is blanked).
func (s *stripper) declared() {
	switch {
	case s.atWord("global") || s.atWord("namespace") || s.atWord("module"):
		for !s.eof() && !s.at(js.OpenBraceToken) && !s.at(js.SemicolonToken) && !s.cur().nl {
			s.next()
		}
		if s.at(js.OpenBraceToken) {
			s.jump()
		}
		s.semi()
	case s.at(js.EnumToken) || s.at(js.ConstToken) && s.peekIs(1, js.EnumToken):
		for !s.eof() && !s.at(js.OpenBraceToken) {
			s.next()
		}
		s.jump()
	default:
		s.stmt(s.i)
	}
}

// function parses [async] function [*] [name] [<T>] (params) [: R] and a
// body; without a body (an overload or a declare) the whole declaration
// from start is blanked.
func (s *stripper) function(start int, decl bool) {
	if s.atWord("async") {
		s.next()
	}
	s.expect(js.FunctionToken)
	if s.at(js.MulToken) {
		s.next()
	}
	if js.IsIdentifierName(s.cur().tt) && !s.at(js.LtToken) {
		s.next()
	}
	s.signature(false)
	switch {
	case s.at(js.OpenBraceToken):
		s.block()
	case decl:
		s.semi()
		s.blankWhole(s.toks[start].off)
	default:
		s.failed = true
	}
}

// signature parses [<T>] (params) [: R] of a function or method.
func (s *stripper) signature(ctor bool) {
	if s.at(js.LtToken) {
		s.blankTypeParams()
	}
	s.params(ctor)
	if s.at(js.ColonToken) {
		s.blankAnnotation()
	}
}

// params parses a parameter list: modifiers of constructor parameters,
// a `this` parameter, '?', types and defaults are TypeScript.
func (s *stripper) params(ctor bool) {
	if !s.at(js.OpenParenToken) {
		s.failed = true
		return
	}
	end := int(s.cur().match)
	s.next()
	for first := true; !s.failed && s.i < end; first = false {
		s.decorators()
		for ctor && s.paramModifier() {
			s.blankTok()
		}
		if first && s.at(js.ThisToken) && (s.peekIs(1, js.ColonToken) || s.peekIs(1, js.CommaToken) || s.i+1 == end) {
			off := s.cur().off
			s.next()
			if s.at(js.ColonToken) && !s.skipTypeAfterColon() {
				return
			}
			if s.at(js.CommaToken) {
				s.next()
			}
			s.blankFrom(off)
			continue
		}
		s.param(end)
	}
	if s.i != end {
		s.failed = true
		return
	}
	s.next()
}

func (s *stripper) skipTypeAfterColon() bool {
	s.next()
	if !s.skipType() {
		s.failed = true
		return false
	}
	return true
}

// paramModifier: public, private, protected, readonly or override before
// a parameter name.
func (s *stripper) paramModifier() bool {
	for _, w := range [...]string{"public", "private", "protected", "readonly", "override"} {
		if s.atWord(w) && (s.isName(1) || s.peekIs(1, js.OpenBraceToken) || s.peekIs(1, js.OpenBracketToken)) {
			return true
		}
	}
	return false
}

// param parses [...]binding[?][: T][= default][,].
func (s *stripper) param(end int) {
	if s.at(js.EllipsisToken) {
		s.next()
	}
	s.binding()
	if s.at(js.QuestionToken) {
		s.blankTok()
	}
	if s.at(js.ColonToken) {
		s.blankAnnotation()
	}
	if s.at(js.EqToken) {
		s.next()
		s.expr(exprComma)
	}
	if s.at(js.CommaToken) {
		s.next()
	} else if s.i != end {
		s.failed = true
	}
}

// enumDecl rewrites enum E { A, B = 2 } in place as var E ={ A, B : 2 }
// (const enum E as const E ={…}): an object with the same names, so that
// the code using it still parses and resolves. The '=' takes the place of
// the blank before the '{'.
func (s *stripper) enumDecl(afterConst bool) {
	if afterConst {
		s.blankTok()
	} else {
		s.subs = append(s.subs, sub{at: int(s.cur().off), text: "var "})
		s.next()
	}
	if !js.IsIdentifier(s.cur().tt) {
		s.failed = true
		return
	}
	s.next()
	brace := s.cur()
	if brace.tt != js.OpenBraceToken || int(brace.off) == s.last ||
		s.src[brace.off-1] != ' ' && s.src[brace.off-1] != '\t' {
		s.failed = true
		return
	}
	s.subs = append(s.subs, sub{at: int(brace.off) - 1, text: "="})
	end := int(brace.match)
	s.next()
	for !s.failed && s.i < end {
		if !s.isName(0) && !s.at(js.StringToken) {
			s.failed = true
			return
		}
		s.next()
		if s.at(js.EqToken) {
			s.subs = append(s.subs, sub{at: int(s.cur().off), text: ":"})
			s.next()
			s.expr(exprComma)
		}
		if s.at(js.CommaToken) {
			s.next()
		} else if s.i != end {
			s.failed = true
		}
	}
	s.expect(js.CloseBraceToken)
}
