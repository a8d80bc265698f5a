package jsscan

import "github.com/tdewolff/parse/v2/js"

// Types for the stripper: each function moves past one piece of type
// syntax and reports whether it was there. Only the end of a type matters
// (it is blanked whole), so brackets are jumped over unread.

// skipType skips a type: a union or intersection, a conditional type, a
// function type.
func (s *stripper) skipType() bool { return s.skipTypeCond(true) }

func (s *stripper) skipTypeCond(cond bool) bool {
	if s.at(js.BitOrToken) || s.at(js.BitAndToken) {
		s.next()
	}
	for {
		if !s.typeOperand(cond) {
			return false
		}
		if !s.at(js.BitOrToken) && !s.at(js.BitAndToken) {
			break
		}
		s.next()
	}
	if !cond || !s.at(js.ExtendsToken) {
		return true
	}
	s.next() // A extends B ? C : D
	if !s.skipTypeCond(false) || !s.at(js.QuestionToken) {
		return false
	}
	s.next()
	if !s.skipType() || !s.at(js.ColonToken) {
		return false
	}
	s.next()
	return s.skipType()
}

// typeOperand skips a type with its prefixes (keyof, readonly, …) and
// postfixes (T[], T[K]). cond: a conditional type may follow (then
// `infer X extends C ?` is that conditional, not a constraint).
func (s *stripper) typeOperand(cond bool) bool {
	for (s.atWord("keyof") || s.atWord("unique") || s.atWord("readonly")) && s.startsType(1) {
		s.next()
	}
	if s.atWord("infer") && js.IsIdentifier(s.peek(1).tt) {
		s.next()
		s.next()
		if s.at(js.ExtendsToken) {
			st := s.save()
			s.next()
			if !s.skipTypeCond(false) || cond && s.at(js.QuestionToken) {
				s.restore(st)
			}
		}
	} else if !s.typePrimary() {
		return false
	}
	for s.at(js.OpenBracketToken) && !s.cur().nl {
		s.jump()
	}
	return !s.failed
}

// startsType reports whether the token at k can begin a type (so that a
// prefix word before it is a prefix, not a type name).
func (s *stripper) startsType(k int) bool {
	if s.i+k >= len(s.toks) {
		return false
	}
	switch t := s.peek(k); t.tt {
	case js.OpenParenToken, js.OpenBracketToken, js.OpenBraceToken, js.StringToken,
		js.TemplateToken, js.TemplateStartToken, js.SubToken, js.LtToken:
		return true
	default:
		return js.IsIdentifierName(t.tt) || js.IsNumeric(t.tt)
	}
}

func (s *stripper) typePrimary() bool {
	t := s.cur()
	switch {
	case s.eof():
		return false
	case s.atWord("typeof"):
		s.next()
		return s.typeQuery()
	case t.tt == js.NewToken || s.atWord("abstract") && s.peekIs(1, js.NewToken):
		if t.tt != js.NewToken {
			s.next()
		}
		s.next()
		return s.fnType()
	case t.tt == js.LtToken:
		return s.fnType()
	case t.tt == js.OpenParenToken:
		if m := t.match; m >= 0 && int(m)+1 < len(s.toks) && s.toks[m+1].tt == js.ArrowToken {
			return s.fnType()
		}
		s.jump()
	case t.tt == js.OpenBraceToken, t.tt == js.OpenBracketToken, t.tt == js.TemplateStartToken:
		s.jump()
	case t.tt == js.StringToken, t.tt == js.TemplateToken, js.IsNumeric(t.tt):
		s.next()
	case t.tt == js.SubToken && js.IsNumeric(s.peek(1).tt):
		s.next()
		s.next()
	case t.tt == js.ImportToken:
		s.next()
		return s.typeQuery()
	case js.IsIdentifierName(t.tt):
		return s.typeReference()
	default:
		return false
	}
	return !s.failed
}

// typeReference: A.B<C>, a predicate (x is T, asserts x is T), a
// keyword type (string, void, this).
func (s *stripper) typeReference() bool {
	asserts := s.atWord("asserts")
	s.next()
	if asserts && !s.cur().nl && (s.at(js.ThisToken) || js.IsIdentifier(s.cur().tt)) {
		s.next() // asserts x [is T]
	}
	for s.at(js.DotToken) {
		s.next()
		if !s.isName(0) {
			return false
		}
		s.next()
	}
	if s.at(js.LtToken) && !s.skipTypeArgs() {
		return false
	}
	if s.atWord("is") && !s.cur().nl {
		s.next()
		return s.skipType()
	}
	return !s.failed
}

// typeQuery: after typeof or import: x.y<T>, import("m").X<T>.
func (s *stripper) typeQuery() bool {
	if s.at(js.ImportToken) {
		s.next()
	}
	if s.at(js.OpenParenToken) {
		s.jump()
	} else if s.isName(0) {
		s.next()
	} else {
		return false
	}
	for s.at(js.DotToken) {
		s.next()
		if !s.isName(0) && !s.at(js.PrivateIdentifierToken) {
			return false
		}
		s.next()
	}
	if s.at(js.LtToken) && !s.cur().nl && !s.skipTypeArgs() {
		return false
	}
	return !s.failed
}

// fnType: [<T>] (params) => T, at '<' or '('.
func (s *stripper) fnType() bool {
	if s.at(js.LtToken) && !s.skipTypeParams() {
		return false
	}
	if !s.at(js.OpenParenToken) {
		return false
	}
	s.jump()
	if !s.at(js.ArrowToken) {
		return false
	}
	s.next()
	return s.skipType()
}

// skipTypeArgs: <T, U<V>> (a '>>' closes two lists).
func (s *stripper) skipTypeArgs() bool {
	s.next() // '<'
	for {
		if !s.skipType() {
			return false
		}
		if s.at(js.CommaToken) {
			s.next()
			continue
		}
		if !s.isGt() {
			return false
		}
		s.eatGt()
		return true
	}
}

// skipTypeParams: <const T extends U = D, in out V,>.
func (s *stripper) skipTypeParams() bool {
	s.next() // '<'
	for !s.isGt() {
		for (s.atWord("const") || s.atWord("in") || s.atWord("out")) && s.isName(1) {
			s.next()
		}
		if !js.IsIdentifier(s.cur().tt) {
			return false
		}
		s.next()
		if s.at(js.ExtendsToken) {
			s.next()
			if !s.skipType() {
				return false
			}
		}
		if s.at(js.EqToken) {
			s.next()
			if !s.skipType() {
				return false
			}
		}
		if s.at(js.CommaToken) {
			s.next()
		} else if !s.isGt() {
			return false
		}
	}
	s.eatGt()
	return true
}

// blankType blanks ': T' (or '?: T' with the '?' already blanked) at a
// colon; false when no type follows.
func (s *stripper) blankAnnotation() bool {
	off := s.cur().off
	s.next()
	if !s.skipType() {
		s.failed = true
		return false
	}
	s.blankFrom(off)
	return true
}

// blankTypeParams blanks a type parameter list at '<'.
func (s *stripper) blankTypeParams() {
	off := s.cur().off
	if !s.skipTypeParams() {
		s.failed = true
		return
	}
	s.blankFrom(off)
}
