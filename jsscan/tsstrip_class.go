package jsscan

import "github.com/tdewolff/parse/v2/js"

// Classes for the stripper (tsstrip.go).

// class parses class [name] [<T>] [extends E<T>] [implements I] { members }.
func (s *stripper) class() {
	s.expect(js.ClassToken)
	if js.IsIdentifier(s.cur().tt) && !s.atWord("implements") {
		s.next()
	}
	if s.at(js.LtToken) {
		s.blankTypeParams()
	}
	if s.at(js.ExtendsToken) {
		s.next()
		s.expr(exprHeritage)
	}
	if s.atWord("implements") {
		off := s.cur().off
		s.next()
		s.typeList()
		s.blankFrom(off)
	}
	if !s.at(js.OpenBraceToken) {
		s.failed = true
		return
	}
	end := int(s.cur().match)
	s.next()
	for !s.failed && s.i < end {
		s.classMember()
	}
	s.expect(js.CloseBraceToken)
}

// tsModifiers are the member modifiers JavaScript does not have.
var tsModifiers = map[string]bool{"public": true, "private": true, "protected": true,
	"readonly": true, "declare": true, "abstract": true, "override": true}

// jsModifiers are the ones it has.
var jsModifiers = map[string]bool{"static": true, "async": true, "get": true, "set": true}

// classMember parses one member. Members without code (index
// signatures, overloads, abstract and declare members) are blanked whole.
func (s *stripper) classMember() {
	if s.at(js.SemicolonToken) {
		s.next()
		return
	}
	start := s.cur().off
	s.decorators()
	whole := false // blank the whole member
	kept := false  // a token of the member is kept (not blanked)
	for !s.failed {
		s.separate(start, kept)
		w := string(s.text(s.cur()))
		if s.at(js.MulToken) {
			kept = true
			s.next()
			continue
		}
		if !js.IsIdentifierName(s.cur().tt) || !s.memberNameFollows() || !tsModifiers[w] && !jsModifiers[w] {
			break
		}
		if w == "static" && s.peekIs(1, js.OpenBraceToken) {
			break
		}
		whole = whole || w == "declare" || w == "abstract"
		if tsModifiers[w] {
			s.blankTok()
		} else {
			kept = true
			s.next()
		}
	}
	s.separate(start, kept)
	switch {
	case s.atWord("static") && s.peekIs(1, js.OpenBraceToken):
		s.next()
		s.block()
		return
	case s.at(js.OpenBracketToken) && s.isName(1) && s.peekIs(2, js.ColonToken):
		s.jump() // [key: string]: T
		if s.at(js.ColonToken) {
			s.blankAnnotation()
		}
		s.semi()
		s.blankWhole(start)
		return
	}
	ctor := s.atWord("constructor")
	s.memberName()
	if s.at(js.QuestionToken) || s.at(js.NotToken) {
		s.blankTok()
	}
	if s.at(js.LtToken) || s.at(js.OpenParenToken) {
		s.signature(ctor)
		if s.at(js.OpenBraceToken) && !whole {
			s.block()
			return
		}
		whole = true // an overload, abstract or declared method
	} else {
		colon := int32(-1)
		if s.at(js.ColonToken) {
			colon = s.cur().off
			s.blankAnnotation()
		}
		if s.at(js.EqToken) {
			s.next()
			s.expr(exprStmt)
		} else if colon >= 0 && !s.at(js.SemicolonToken) && !whole {
			// `readonly get: T` then a new line: `get` alone would start
			// a getter; end the field where its type was.
			s.subs = append(s.subs, sub{at: int(colon), text: ";"})
		}
	}
	s.semi()
	if whole {
		s.blankWhole(start)
	}
}

// memberNameFollows reports whether the token after the current one can
// name a member on the same line (so the current one is a modifier, not
// a member called `static` or `get`).
func (s *stripper) memberNameFollows() bool {
	n := s.peek(1)
	if s.i+1 >= len(s.toks) || n.nl && !s.atWord("get") && !s.atWord("set") && !s.atWord("static") {
		return false
	}
	switch n.tt {
	case js.OpenBracketToken, js.StringToken, js.PrivateIdentifierToken, js.MulToken:
		return true
	}
	return js.IsIdentifierName(n.tt) || js.IsNumeric(n.tt)
}

// memberName parses a property name: a name, a string, a number, a
// private name or [computed].
func (s *stripper) memberName() {
	t := s.cur()
	switch {
	case t.tt == js.OpenBracketToken:
		end := int(t.match)
		s.next()
		s.expr(0)
		if s.i != end {
			s.failed = true
			return
		}
		s.next()
	case js.IsIdentifierName(t.tt), t.tt == js.StringToken, t.tt == js.PrivateIdentifierToken, js.IsNumeric(t.tt):
		s.next()
	default:
		s.failed = true
	}
}

// separate ends the member before this one with a ';' when this one
// begins with blanked modifiers or decorators and its first kept token
// would join the two (`readonly [k] = 1` after `x = y` reads as y[k]).
func (s *stripper) separate(start int32, kept bool) {
	if !kept && !s.eof() && s.cur().off > start && joins(s.cur().tt) &&
		(len(s.subs) == 0 || s.subs[len(s.subs)-1].at != int(start)) {
		s.subs = append(s.subs, sub{at: int(start), text: ";"})
	}
}
