package jsscan

import (
	"bytes"

	"github.com/tdewolff/parse/v2/js"
)

// Token access for the stripper (tsstrip.go). Past the last token, cur
// is an ErrorToken at the end of the file; `@` is an ErrorToken too, told
// apart by atDecorator.

func (s *stripper) eof() bool { return s.i >= len(s.toks) }

// cur is the current token; after part of a `>>` was taken, the rest of
// it (`>`, `=`, `>=`, …).
func (s *stripper) cur() stok { return s.peek(0) }

func (s *stripper) peek(k int) stok {
	i := s.i + k
	if i >= len(s.toks) {
		n := int32(len(s.src))
		return stok{off: n, end: n, match: -1, tt: js.ErrorToken, nl: true}
	}
	t := s.toks[i]
	if k == 0 && s.split > 0 {
		t.off += int32(s.split)
		t.nl, t.match = false, -1
		t.tt = gtRest(s.src[t.off:t.end])
	}
	return t
}

// gtRest is the token type of what is left of a `>` token.
func gtRest(b []byte) js.TokenType {
	switch string(b) {
	case ">":
		return js.GtToken
	case ">>":
		return js.GtGtToken
	case "=":
		return js.EqToken
	case ">=":
		return js.GtEqToken
	case ">>=":
		return js.GtGtEqToken
	}
	return js.ErrorToken
}

func (s *stripper) at(tt js.TokenType) bool { return !s.eof() && s.cur().tt == tt }

func (s *stripper) peekIs(k int, tt js.TokenType) bool {
	return s.i+k < len(s.toks) && s.peek(k).tt == tt
}

func (s *stripper) text(t stok) []byte { return s.src[t.off:t.end] }

// atWord reports whether the current token is the name w (keywords and
// contextual keywords alike).
func (s *stripper) atWord(w string) bool { return s.peekWord(0, w) }

func (s *stripper) peekWord(k int, w string) bool {
	if s.i+k >= len(s.toks) {
		return false
	}
	t := s.peek(k)
	return js.IsIdentifierName(t.tt) && string(s.text(t)) == w
}

// isName: an identifier or a keyword (property names, type names).
func (s *stripper) isName(k int) bool {
	return s.i+k < len(s.toks) && js.IsIdentifierName(s.peek(k).tt)
}

func (s *stripper) atDecorator() bool {
	return !s.eof() && s.cur().tt == js.ErrorToken && bytes.Equal(s.text(s.cur()), []byte("@"))
}

func (s *stripper) next() {
	if s.eof() {
		s.failed = true
		return
	}
	s.last = int(s.toks[s.i].end)
	s.i++
	s.split = 0
}

// expect consumes a token of type tt or fails.
func (s *stripper) expect(tt js.TokenType) {
	if !s.at(tt) {
		s.failed = true
		return
	}
	s.next()
}

// jump moves past the bracket at the cursor and everything up to its
// match (a type literal, a tuple, arguments that need no look inside).
func (s *stripper) jump() {
	m := s.cur().match
	if m < 0 || s.split > 0 {
		s.failed = true
		return
	}
	s.i = int(m)
	s.next()
}

// isGt: the current token starts with '>' (a type list may close there).
func (s *stripper) isGt() bool {
	switch s.cur().tt {
	case js.GtToken, js.GtGtToken, js.GtGtGtToken, js.GtEqToken, js.GtGtEqToken, js.GtGtGtEqToken:
		return !s.eof()
	}
	return false
}

// eatGt consumes one '>' character.
func (s *stripper) eatGt() {
	t := s.toks[s.i]
	s.split++
	s.last = int(t.off) + s.split
	if s.last == int(t.end) {
		s.i++
		s.split = 0
	}
}

// blankFrom records the bytes from off to the end of the last consumed
// token for blanking.
func (s *stripper) blankFrom(off int32) {
	if int(off) < s.last {
		s.blanks = append(s.blanks, span{int(off), s.last})
	}
}

// blankTok blanks the current token and moves past it.
func (s *stripper) blankTok() {
	off := s.cur().off
	s.next()
	s.blankFrom(off)
}

// blankWhole blanks a whole statement or class member from off. When the
// next token would join the code before the blank to the code after it
// (`a = b` ⏎ `type T = U` ⏎ `[1].map(f)` reads as b[1] in JavaScript),
// a ';' takes the blank's first byte: TypeScript ended the statement
// there.
func (s *stripper) blankWhole(off int32) {
	s.blankFrom(off)
	if !s.eof() && joins(s.cur().tt) {
		s.subs = append(s.subs, sub{at: int(off), text: ";"})
	}
}

// joins reports whether a token continues the expression before it
// (across a line break too): brackets, templates, member access and
// binary operators.
func joins(tt js.TokenType) bool {
	switch tt {
	case js.CloseBraceToken, js.CloseParenToken, js.CloseBracketToken, js.SemicolonToken,
		js.CommaToken, js.ColonToken, js.QuestionToken, js.TemplateMiddleToken, js.TemplateEndToken:
		return false
	}
	return continues(tt)
}
