package jsscan

import (
	"bytes"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"
)

// token is one significant lexer token (no whitespace or comments).
type token struct {
	off, end int32
	match    int32 // index of the matching bracket, -1 otherwise
	tt       js.TokenType
}

// brackets pairs brackets while tokens are appended: a closing bracket and
// its opener record each other's index in match, so fixes jump from one to
// the other. An unmatched closer keeps match -1.
type brackets struct{ open []int32 }

// push appends t to toks, pairing it if it opens or closes a bracket.
func (b *brackets) push(toks []token, t token) []token {
	i := int32(len(toks))
	switch t.tt {
	case js.OpenBraceToken, js.OpenParenToken, js.OpenBracketToken:
		b.open = append(b.open, i)
	case js.CloseBraceToken, js.CloseParenToken, js.CloseBracketToken:
		if n := len(b.open); n > 0 {
			t.match = b.open[n-1]
			toks[t.match].match = i
			b.open = b.open[:n-1]
		}
	}
	return append(toks, t)
}

// tokens lexes the file once. The token list gives identifiers their
// per-occurrence offsets (the AST shares one js.Var per scope) and lets
// fixes find braces and statement ends. It also collects the
// leaklsp-ignore comments. Lexing stops at the first lexer error; later
// positions are then unknown.
func lexTokens(s *source) ([]token, []ignore) { return lexTokensInto(s, nil) }

// lexTokensInto is lexTokens appending to buf[:0] (a reused buffer).
// Minified code has about 3.5 bytes per token, other npm code 6.4: a
// buffer of a fifth of the file grows once at most.
func lexTokensInto(s *source, buf []token) ([]token, []ignore) {
	toks := buf[:0]
	if want := len(s.buf)/5 + 8; cap(toks) < want {
		toks = make([]token, 0, want)
	}
	if fast, ignores, ok := lexFast(s, toks); ok {
		return fast, ignores
	}
	return lexSlow(s, toks[:0])
}

// lexSlow is lexTokensInto with tdewolff's lexer, for what lexFast does
// not cover.
func lexSlow(s *source, toks []token) ([]token, []ignore) {
	var ignores []ignore
	var br brackets
	l := js.NewLexer(parse.NewInputBytes(s.buf))
	prev := js.ErrorToken // previous significant token type
	prevDot := false
	for {
		tt, data := l.Next()
		switch tt {
		case js.ErrorToken:
			return toks, ignores
		case js.WhitespaceToken, js.LineTerminatorToken:
			continue
		case js.CommentToken, js.CommentLineTerminatorToken:
			if ig, ok := parseIgnore(s, data); ok {
				ignores = append(ignores, ig)
			}
			continue
		case js.DivToken, js.DivEqToken:
			if regexpAllowed(prev, prevDot) {
				tt, data = l.RegExp()
				if tt == js.ErrorToken {
					return toks, ignores
				}
			}
		}
		off := s.offsetOf(data)
		if off < 0 {
			return toks, ignores
		}
		toks = br.push(toks, token{off: int32(off), end: int32(off + len(data)), match: -1, tt: tt})
		prevDot = prev == js.DotToken || prev == js.OptChainToken
		prev = tt
	}
}

// regexpAllowed decides whether a '/' starts a regular expression, from the
// previous token: after a value (name, literal, closing bracket, this) it is
// a division. A keyword used as a property name (o.else / 2) is a value.
func regexpAllowed(prev js.TokenType, afterDot bool) bool {
	switch prev {
	case js.CloseParenToken, js.CloseBracketToken, js.CloseBraceToken,
		js.StringToken, js.TemplateToken, js.TemplateEndToken, js.RegExpToken,
		js.PrivateIdentifierToken, js.ThisToken, js.SuperToken, js.NullToken,
		js.TrueToken, js.FalseToken, js.IncrToken, js.DecrToken:
		return false
	}
	if js.IsNumeric(prev) || js.IsIdentifier(prev) {
		return false
	}
	if js.IsReservedWord(prev) && afterDot {
		return false
	}
	return true
}

// tokenAt returns the index of the first token starting at or after off.
func tokenAt(toks []token, off int) int {
	lo, hi := 0, len(toks)
	for lo < hi {
		m := (lo + hi) / 2
		if int(toks[m].off) < off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// ignore is a `// leaklsp-ignore [CODE...]` comment.
type ignore struct {
	line     int      // 0-based line of the comment
	trailing bool     // code precedes the comment on its line
	codes    []string // empty: every code
}

var ignoreMarker = []byte("leaklsp-ignore")

func parseIgnore(s *source, c []byte) (ignore, bool) {
	i := bytes.Index(c, ignoreMarker)
	if i < 0 {
		return ignore{}, false
	}
	off := s.offsetOf(c)
	if off < 0 {
		return ignore{}, false
	}
	rest := c[i+len(ignoreMarker):]
	rest = bytes.TrimSuffix(bytes.TrimSpace(rest), []byte("*/"))
	var codes []string
	for _, f := range bytes.Fields(rest) {
		if !bytes.HasPrefix(f, []byte("LEAK")) {
			break // free text after the codes
		}
		codes = append(codes, string(bytes.TrimRight(f, ",")))
	}
	_, first := s.indentAt(off)
	return ignore{line: s.line(off), trailing: !first, codes: codes}, true
}

// suppressed reports whether code at line is silenced by an ignore comment
// on the line before (a comment on its own line) or on the same line.
func suppressed(igs []ignore, code string, line int) bool {
	for _, ig := range igs {
		if ig.line != line && !(ig.line == line-1 && !ig.trailing) {
			continue
		}
		if len(ig.codes) == 0 {
			return true
		}
		for _, c := range ig.codes {
			if c == code {
				return true
			}
		}
	}
	return false
}

// RegexpAllowed is regexpAllowed for other packages that lex JavaScript with
// tdewolff's lexer (regtest), so both decide a '/' the same way.
func RegexpAllowed(prev js.TokenType, afterDot bool) bool { return regexpAllowed(prev, afterDot) }
