package regtest

import (
	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"

	"github.com/leaklsp/leaklsp/jsscan"
)

// tok is one significant token of a module (no whitespace or comments)
// with its byte offsets and, for brackets, the index of its partner.
type tok struct {
	tt       js.TokenType
	text     string
	off, end int
	match    int  // index of the matching bracket, -1 otherwise
	newline  bool // a line break comes before it (where ASI may end a statement)
}

// lex tokenizes src and pairs its brackets. It stops at a lexer error:
// what follows is not outlined, so nothing there is offered.
func lex(src []byte) []tok {
	in := parse.NewInputBytes(src)
	l := js.NewLexer(in)
	var toks []tok
	var open []int
	prev := js.ErrorToken
	newline := false
	for {
		tt, data := l.Next()
		switch tt {
		case js.ErrorToken:
			return toks
		case js.LineTerminatorToken, js.CommentLineTerminatorToken:
			newline = true
			continue
		case js.WhitespaceToken, js.CommentToken:
			continue
		case js.DivToken, js.DivEqToken:
			if jsscan.RegexpAllowed(prev, len(toks) > 0 && toks[len(toks)-1].tt == js.DotToken) {
				if tt, data = l.RegExp(); tt == js.ErrorToken {
					return toks
				}
			}
		}
		end := in.Offset()
		t := tok{tt: tt, text: string(data), off: end - len(data), end: end, match: -1, newline: newline}
		newline = false
		switch tt {
		case js.OpenBraceToken, js.OpenParenToken, js.OpenBracketToken, js.TemplateStartToken:
			open = append(open, len(toks))
		case js.CloseBraceToken, js.CloseParenToken, js.CloseBracketToken, js.TemplateEndToken:
			if n := len(open); n > 0 {
				t.match = open[n-1]
				toks[open[n-1]].match = len(toks)
				open = open[:n-1]
			}
		}
		toks = append(toks, t)
		prev = tt
	}
}
