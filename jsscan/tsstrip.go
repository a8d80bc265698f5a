package jsscan

import (
	"bytes"
	"io"
	"sort"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"
)

// TypeScript by blanking: stripTypes replaces the TypeScript-only syntax of
// a .ts file (annotations, interfaces, type aliases, generics, `as`, `!`,
// modifiers, overloads, declare) with spaces, so that what is left is
// JavaScript at the very same offsets and lines. The rules then scan it
// with an identity mapping, and the file is lexed and parsed once by
// tdewolff instead of being parsed, transformed and printed by esbuild
// (which was two thirds of the time of a TypeScript scan) and mapped back
// through a source map.
//
// It is a recogniser over the token stream, not a TypeScript parser: it
// knows where types can start and skips them to their end. What it does
// not handle (enums, namespaces, `export =`, JSX) makes it give up, and the
// scan takes esbuild's path as before; so does output tdewolff cannot
// parse, which is how a wrong guess shows up.

// stok is one significant token of the TypeScript source.
type stok struct {
	off, end int32
	match    int32 // index of the matching bracket, -1 otherwise
	tt       js.TokenType
	nl       bool // a line terminator precedes it
}

// stripper walks the tokens, recording the byte ranges to blank. A `>>`
// closing two type-argument lists is consumed a character at a time:
// split counts the characters of toks[i] already taken.
type stripper struct {
	src    []byte
	toks   []stok
	i      int
	split  int
	last   int // end offset of the last consumed token (or part of one)
	blanks []span
	subs   []sub // same-length replacements (import x = require → const)
	failed bool
}

type sub struct {
	at   int
	text string
}

// state is a point to backtrack to after a speculative parse.
type state struct{ i, split, last, blanks, subs int }

func (s *stripper) save() state { return state{s.i, s.split, s.last, len(s.blanks), len(s.subs)} }

func (s *stripper) restore(st state) {
	s.i, s.split, s.last = st.i, st.split, st.last
	s.blanks, s.subs = s.blanks[:st.blanks], s.subs[:st.subs]
	s.failed = false
}

// stripTypes returns src with its TypeScript syntax blanked (one spare
// byte of capacity, see ownSource), or ok=false when the file uses syntax
// that blanking cannot express. async says whether code that is kept
// (not a comment or a type) holds the word async or await, as esbuild's
// output of the file would: the tsconfig rule asks it (result.usesAsync).
func stripTypes(src []byte) (out []byte, async, ok bool) {
	out = make([]byte, len(src), len(src)+1)
	copy(out, src)
	blankShebang(out)
	toks, ok := lexTS(out)
	if !ok {
		return nil, false, false
	}
	s := &stripper{src: src, toks: toks}
	s.stmtList(-1)
	if s.failed || s.i < len(s.toks) || s.breaksRestricted() {
		return nil, false, false
	}
	for _, b := range s.blanks {
		blank(out[b.start:b.end])
	}
	for _, r := range s.subs {
		copy(out[r.at:], r.text)
	}
	return out, s.asyncWords(out), true
}

// asyncWords reports whether a token left in out contains async or await.
func (s *stripper) asyncWords(out []byte) bool {
	if !bytes.Contains(out, []byte("async")) && !bytes.Contains(out, []byte("await")) {
		return false
	}
	for _, t := range s.toks {
		b := out[t.off:t.end]
		if b[0] != ' ' && (bytes.Contains(b, []byte("async")) || bytes.Contains(b, []byte("await"))) {
			return true
		}
	}
	return false
}

// blank overwrites b with spaces, keeping line terminators so that line
// numbers do not move (a multi-byte character becomes several spaces:
// offsets stay, and columns are computed on the original text).
func blank(b []byte) {
	for i, c := range b {
		if c != '\n' && c != '\r' {
			b[i] = ' '
		}
	}
}

// lexTS lexes the whole file: significant tokens with matched brackets
// and a newline flag. `@` (decorators) is no JavaScript token; it is kept
// as an ErrorToken. Any other lexer error gives up. buf needs a spare
// byte of capacity (the lexer's sentinel) so that tokens alias it.
func lexTS(buf []byte) ([]stok, bool) {
	toks := make([]stok, 0, len(buf)/5+8)
	var stack []int32
	src := &source{buf: buf}
	l := js.NewLexer(parse.NewInputBytes(buf))
	prev, prevDot, nl := js.ErrorToken, false, false
	nonNull := false // prev is a non-null '!' (x! / 2 divides)
	for {
		tt, data := l.Next()
		switch tt {
		case js.ErrorToken:
			if l.Err() == io.EOF {
				return toks, len(stack) == 0
			}
			if !bytes.Equal(data, []byte("@")) {
				return nil, false
			}
		case js.WhitespaceToken:
			continue
		case js.LineTerminatorToken, js.CommentLineTerminatorToken:
			nl = true
			continue
		case js.CommentToken:
			continue
		case js.DivToken, js.DivEqToken:
			if !nonNull && regexpAllowed(prev, prevDot) {
				if tt, data = l.RegExp(); tt == js.ErrorToken {
					return nil, false
				}
			}
		}
		nonNull = tt == js.NotToken && !nl && !regexpAllowed(prev, prevDot)
		off := src.offsetOf(data)
		if off < 0 {
			return nil, false
		}
		t := stok{off: int32(off), end: int32(off + len(data)), match: -1, tt: tt, nl: nl}
		nl = false
		i := int32(len(toks))
		switch tt {
		case js.OpenBraceToken, js.OpenParenToken, js.OpenBracketToken, js.TemplateStartToken:
			stack = append(stack, i)
		case js.CloseBraceToken, js.CloseParenToken, js.CloseBracketToken, js.TemplateEndToken:
			n := len(stack)
			if n == 0 || !closes(toks[stack[n-1]].tt, tt) {
				return nil, false
			}
			t.match = stack[n-1]
			toks[stack[n-1]].match = i
			stack = stack[:n-1]
		}
		toks = append(toks, t)
		prevDot = prev == js.DotToken || prev == js.OptChainToken
		prev = tt
	}
}

func closes(open, close js.TokenType) bool {
	switch open {
	case js.OpenBraceToken:
		return close == js.CloseBraceToken
	case js.OpenParenToken:
		return close == js.CloseParenToken
	case js.OpenBracketToken:
		return close == js.CloseBracketToken
	}
	return close == js.TemplateEndToken // TemplateStart … TemplateEnd
}

// breaksRestricted reports whether a blank holding a line break follows
// return, throw, yield, break, continue or async on its line: JavaScript
// would end the statement there (`return <T,⏎U>(x) => x` returns
// nothing), TypeScript did not. Such a file takes esbuild's path.
func (s *stripper) breaksRestricted() bool {
	for _, b := range s.blanks {
		if !bytes.ContainsAny(s.src[b.start:b.end], "\n\r") {
			continue
		}
		j := sort.Search(len(s.toks), func(k int) bool { return int(s.toks[k].end) > b.start }) - 1
		if j < 0 || bytes.ContainsAny(s.src[s.toks[j].end:b.start], "\n\r") {
			continue
		}
		switch s.toks[j].tt {
		case js.ReturnToken, js.ThrowToken, js.YieldToken, js.BreakToken, js.ContinueToken, js.AsyncToken:
			return true
		}
	}
	return false
}
