package jsscan

import (
	"bytes"

	"github.com/tdewolff/parse/v2/js"
)

// Expressions for the stripper (tsstrip.go). No tree is built: the scan
// alternates between operand position (a value may start here) and
// operator position (a value just ended), which is what tells a type
// argument list from a comparison, a non-null '!' from a negation, and
// `x as T` from a name.

// exprFlags say where an expression ends.
type exprFlags int

const (
	exprStmt     exprFlags = 1 << iota // a new line may end it (automatic semicolon insertion)
	exprComma                          // a ',' ends it
	exprHeritage                       // class … extends E<T> { : '{' and implements end it
)

func (s *stripper) expr(f exprFlags) { s.exprFrom(f, false) }

// exprFrom scans an expression up to a token that ends it, which it does
// not consume: a closing bracket, ';', a ':' that closes no '?', or what
// f adds. after says the scan starts in operator position.
func (s *stripper) exprFrom(f exprFlags, after bool) {
	conds := 0 // '?' waiting for their ':'
	for !s.failed && !s.eof() {
		var ok bool
		if after {
			ok, after = s.operator(f, &conds)
		} else {
			ok, after = s.operand(f)
		}
		if !ok {
			return
		}
	}
}

// operand handles the token at the start of a value; ok is false at a
// token that ends the expression. after is the next position.
func (s *stripper) operand(f exprFlags) (ok, after bool) {
	t := s.cur()
	switch t.tt {
	case js.OpenParenToken:
		if s.arrowAt(s.i) {
			return true, s.arrow()
		}
		s.parenExpr()
		return true, true
	case js.LtToken:
		return true, s.angleOperand()
	case js.OpenBraceToken:
		s.object()
		return true, true
	case js.OpenBracketToken:
		s.array()
		return true, true
	case js.TemplateStartToken:
		s.template()
		return true, true
	case js.FunctionToken:
		s.function(s.i, false)
		return true, true
	case js.ClassToken:
		s.class()
		return true, true
	case js.NewToken:
		s.next()
		if s.at(js.DotToken) { // new.target
			s.next()
			s.next()
			return true, true
		}
		return true, false
	case js.YieldToken:
		s.next()
		if s.at(js.MulToken) {
			s.next()
		}
		return true, false
	case js.CommaToken:
		if f&exprComma != 0 {
			return false, false
		}
		s.next() // an array hole
		return true, false
	case js.NotToken, js.BitNotToken, js.AddToken, js.SubToken, js.IncrToken, js.DecrToken,
		js.EllipsisToken, js.TypeofToken, js.VoidToken, js.DeleteToken, js.AwaitToken:
		s.next()
		return true, false
	case js.StringToken, js.TemplateToken, js.RegExpToken, js.PrivateIdentifierToken,
		js.ThisToken, js.SuperToken, js.NullToken, js.TrueToken, js.FalseToken, js.ImportToken:
		s.next()
		return true, true
	}
	switch {
	case js.IsNumeric(t.tt):
		s.next()
		return true, true
	case js.IsIdentifier(t.tt):
		return true, s.nameOperand()
	case s.atDecorator():
		s.failed = true
	}
	return false, false
}

// nameOperand: a name, an arrow x => …, an async arrow or function.
func (s *stripper) nameOperand() (after bool) {
	if s.atWord("async") && !s.peek(1).nl {
		switch {
		case s.peekIs(1, js.FunctionToken):
			s.function(s.i, false)
			return true
		case (s.peekIs(1, js.OpenParenToken) || s.peekIs(1, js.LtToken)) && s.arrowAt(s.i+1):
			s.next()
			return s.arrow()
		case js.IsIdentifier(s.peek(1).tt) && s.peekIs(2, js.ArrowToken):
			s.next()
		}
	}
	s.next()
	if s.at(js.ArrowToken) && !s.cur().nl {
		s.next()
		return s.arrowBody()
	}
	return true
}

// angleOperand: <T>(x: T) => x, or the cast <T>x.
func (s *stripper) angleOperand() (after bool) {
	if s.arrowAt(s.i) {
		return s.arrow()
	}
	off := s.cur().off
	s.next()
	if !s.skipType() || !s.isGt() {
		s.failed = true
		return false
	}
	s.eatGt()
	s.blankFrom(off)
	return false
}

// arrowAt reports whether the tokens at index i ('(' or '<') start the
// parameters of an arrow function: [<T>](…) [: R] =>.
func (s *stripper) arrowAt(i int) bool {
	st := s.save()
	defer s.restore(st)
	s.i, s.split = i, 0
	if s.at(js.LtToken) && !s.skipTypeParams() {
		return false
	}
	if !s.at(js.OpenParenToken) || s.cur().match < 0 {
		return false
	}
	s.jump()
	typed := s.at(js.ColonToken)
	if typed {
		s.next()
		if !s.skipType() {
			return false
		}
	}
	return s.at(js.ArrowToken) && (typed || !s.cur().nl) && !s.failed
}

// arrow parses [<T>](params)[: R] => body at '<' or '('. TypeScript
// allows a new line between the return type and '=>', JavaScript none
// between ')' and '=>': the arrow then moves to where the type was.
func (s *stripper) arrow() (after bool) {
	if s.at(js.LtToken) {
		s.blankTypeParams()
	}
	s.params(false)
	if s.at(js.ColonToken) {
		colon := s.cur().off
		s.blankAnnotation()
		if s.at(js.ArrowToken) && bytes.ContainsAny(s.src[colon:s.cur().off], "\n\r") {
			at := bytes.Index(s.src[colon:s.last], []byte("  ")) // two blanked bytes on one line
			if s.src[colon+1] != '\n' && s.src[colon+1] != '\r' {
				at = 0
			}
			if at < 0 {
				s.failed = true
				return false
			}
			s.subs = append(s.subs, sub{at: int(colon) + at, text: "=>"})
			s.blankTok()
			return s.arrowBody()
		}
	}
	s.expect(js.ArrowToken)
	return s.arrowBody()
}

// arrowBody: a block (then a value has ended) or an expression (the scan
// goes on in operand position).
func (s *stripper) arrowBody() (after bool) {
	if s.at(js.OpenBraceToken) {
		s.block()
		return true
	}
	return false
}

// operator handles the token after a value.
func (s *stripper) operator(f exprFlags, conds *int) (ok, after bool) {
	t := s.cur()
	if t.nl && f&exprStmt != 0 && !continues(t.tt) {
		return false, false // automatic semicolon insertion
	}
	switch t.tt {
	case js.NotToken: // x!
		s.blankTok()
		return true, true
	case js.LtToken:
		if s.typeArgs(f) {
			return true, true
		}
		s.next()
		return true, false
	case js.OpenParenToken, js.OpenBracketToken:
		end := int(t.match)
		s.next()
		s.expr(0)
		if s.i != end {
			s.failed = true
			return false, false
		}
		s.next()
		return true, true
	case js.DotToken, js.OptChainToken:
		s.next()
		if s.isName(0) || s.at(js.PrivateIdentifierToken) {
			s.next()
		}
		return true, true
	case js.TemplateToken:
		s.next()
		return true, true
	case js.TemplateStartToken:
		s.template()
		return true, true
	case js.IncrToken, js.DecrToken:
		s.next()
		return true, true
	case js.QuestionToken:
		*conds++
		s.next()
		return true, false
	case js.ColonToken:
		if *conds == 0 {
			return false, false
		}
		*conds--
		s.next()
		return true, false
	case js.CommaToken:
		if f&exprComma != 0 {
			return false, false
		}
		s.next()
		return true, false
	case js.ArrowToken, js.OpenBraceToken, js.CloseBraceToken, js.CloseParenToken, js.CloseBracketToken,
		js.SemicolonToken, js.TemplateMiddleToken, js.TemplateEndToken:
		return false, false
	}
	return s.wordOperator(f)
}

// wordOperator: binary operators, `in`, `instanceof`, `of` (for heads),
// and `as T` / `satisfies T`.
func (s *stripper) wordOperator(f exprFlags) (ok, after bool) {
	t := s.cur()
	switch {
	case (s.atWord("as") || s.atWord("satisfies")) && !t.nl:
		off := t.off
		s.next()
		if s.at(js.ConstToken) {
			s.next()
		} else if !s.skipType() {
			s.failed = true
			return false, false
		}
		s.blankFrom(off)
		return true, true
	case f&exprHeritage != 0 && s.atWord("implements"):
		return false, false
	case js.IsOperator(t.tt), t.tt == js.InToken, t.tt == js.InstanceofToken, s.atWord("of"):
		s.next()
		return true, false
	}
	if !t.nl {
		s.failed = true
	}
	return false, false
}

// continues reports whether a token on a new line continues the
// expression before it (no automatic semicolon is inserted before it).
func continues(tt js.TokenType) bool {
	switch tt {
	case js.NotToken, js.BitNotToken, js.IncrToken, js.DecrToken:
		return false
	case js.DotToken, js.OptChainToken, js.OpenParenToken, js.OpenBracketToken, js.TemplateToken,
		js.TemplateStartToken, js.QuestionToken, js.ColonToken, js.CommaToken, js.ArrowToken,
		js.InToken, js.InstanceofToken, js.CloseBraceToken, js.CloseParenToken, js.CloseBracketToken,
		js.SemicolonToken, js.TemplateMiddleToken, js.TemplateEndToken:
		return true
	}
	return js.IsOperator(tt)
}

// typeArgs blanks type arguments after a value when TypeScript would
// read them so: f<T>(x), tag<T>`…`, new C<T>, an instantiation f<T>;
// and E<T> before a class body. Otherwise '<' is a comparison.
func (s *stripper) typeArgs(f exprFlags) bool {
	st := s.save()
	off := s.cur().off
	if !s.skipTypeArgs() {
		s.restore(st)
		return false
	}
	t := s.cur()
	follows := false
	switch {
	case s.eof():
		follows = true
	case t.tt == js.OpenParenToken, t.tt == js.TemplateToken, t.tt == js.TemplateStartToken:
		follows = true
	case f&exprHeritage != 0 && (t.tt == js.OpenBraceToken || s.atWord("implements")):
		follows = true
	case t.tt == js.LtToken, t.tt == js.GtToken, t.tt == js.AddToken, t.tt == js.SubToken:
	case t.nl:
		follows = true
	default:
		follows = !startsExpr(t.tt) || js.IsOperator(t.tt) && t.tt != js.NotToken && t.tt != js.BitNotToken
	}
	if !follows {
		s.restore(st)
		return false
	}
	s.blankFrom(off)
	return true
}

// startsExpr reports whether a token can begin an expression.
func startsExpr(tt js.TokenType) bool {
	switch tt {
	case js.OpenParenToken, js.OpenBracketToken, js.OpenBraceToken, js.StringToken, js.TemplateToken,
		js.TemplateStartToken, js.RegExpToken, js.PrivateIdentifierToken, js.NotToken, js.BitNotToken,
		js.AddToken, js.SubToken, js.IncrToken, js.DecrToken, js.LtToken, js.DivToken, js.DivEqToken:
		return true
	}
	return js.IsIdentifierName(tt) || js.IsNumeric(tt)
}

// template parses `…${expr}…${expr}…`.
func (s *stripper) template() {
	s.next()
	for !s.failed {
		s.expr(0)
		switch {
		case s.at(js.TemplateMiddleToken):
			s.next()
		case s.at(js.TemplateEndToken):
			s.next()
			return
		default:
			s.failed = true
		}
	}
}

// array parses [a, , ...b] (a literal or a pattern).
func (s *stripper) array() { s.enclosed() }

// enclosed parses the expression between the open bracket at the cursor
// and its match, and steps past the match; anything left before it fails.
func (s *stripper) enclosed() {
	end := int(s.cur().match)
	s.next()
	s.expr(0)
	if s.i != end {
		s.failed = true
		return
	}
	s.next()
}

// object parses an object literal or pattern: methods may have types.
func (s *stripper) object() {
	end := int(s.cur().match)
	s.next()
	for !s.failed && s.i < end {
		switch {
		case s.at(js.CommaToken):
			s.next()
		case s.at(js.EllipsisToken):
			s.next()
			s.expr(exprComma)
		default:
			s.property()
		}
	}
	s.expect(js.CloseBraceToken)
}

// property parses [get|set|async|*] key, then (…) {…}, : value, = default
// or nothing (shorthand).
func (s *stripper) property() {
	for (s.atWord("get") || s.atWord("set") || s.atWord("async") || s.at(js.MulToken)) && s.keyFollows() {
		s.next()
	}
	s.memberName()
	switch {
	case s.at(js.LtToken) || s.at(js.OpenParenToken):
		s.signature(false)
		s.block()
	case s.at(js.ColonToken), s.at(js.EqToken):
		s.next()
		s.expr(exprComma)
	}
}

// keyFollows: the token after a get/set/async/* is a property key.
func (s *stripper) keyFollows() bool {
	if s.at(js.MulToken) {
		return true
	}
	n := s.peek(1)
	switch n.tt {
	case js.OpenBracketToken, js.StringToken, js.MulToken, js.PrivateIdentifierToken:
		return true
	}
	return js.IsIdentifierName(n.tt) || js.IsNumeric(n.tt)
}
