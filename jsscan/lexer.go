package jsscan

import (
	"bytes"

	"github.com/tdewolff/parse/v2/js"
)

// lexFast is the token pass of lexTokensInto without tdewolff's lexer:
// the same tokens (offsets, types, matched brackets) and ignore comments,
// in about half the time (it was a tenth of a scan; the parser has lexed
// the file once already). It covers what nearly all files are: ASCII
// code, with any bytes inside strings, comments, templates and regular
// expressions. Anything else (a non-ASCII character or a backslash in the
// code, a lexer error) returns ok=false, and tdewolff's lexer does the
// file; TestLexFastCorpus compares the two.
func lexFast(s *source, toks []token) (_ []token, _ []ignore, ok bool) {
	l := fastLexer{b: s.buf, s: s}
	var br brackets
	prev, prevDot := js.ErrorToken, false
	for {
		start, tt, ok := l.next(prev, prevDot)
		if !ok {
			return nil, nil, false
		}
		if tt == js.ErrorToken { // the end
			if len(l.templates) > 0 {
				return nil, nil, false
			}
			return toks, l.igs, true
		}
		toks = br.push(toks, token{off: int32(start), end: int32(l.i), match: -1, tt: tt})
		prevDot = prev == js.DotToken || prev == js.OptChainToken
		prev = tt
	}
}

// fastLexer follows tdewolff's js.Lexer (lex.go) rule for rule.
type fastLexer struct {
	b         []byte
	i         int
	level     int   // open ( and { (tdewolff's level)
	templates []int // level at each open template substitution
	nl        bool  // a line break since the last token (for -->)
	igs       []ignore
	s         *source
}

// next skips blanks and comments and returns the next token's start and
// type; ErrorToken with ok at the end of the input.
func (l *fastLexer) next(prev js.TokenType, prevDot bool) (start int, tt js.TokenType, ok bool) {
	for {
		b, i := l.b, l.i
		for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
			if b[i] >= '\n' && b[i] <= '\r' {
				l.nl = true
			}
			i++
		}
		l.i = i
		if i >= len(b) {
			return i, js.ErrorToken, true
		}
		c := b[i]
		switch {
		case c == '\v' || c == '\f':
			l.i++
		case c == 0xE2 && isLineSep(l.b[l.i:]):
			l.i += 3
			l.nl = true
		case c == '/' && l.peek(1) == '/', c == '<' && l.peek(1) == '!' && l.peek(2) == '-' && l.peek(3) == '-',
			l.nl && c == '-' && l.peek(1) == '-' && l.peek(2) == '>':
			l.lineComment()
		case c == '/' && l.peek(1) == '*':
			if !l.blockComment() {
				return 0, 0, false
			}
		case c >= 0x80:
			return 0, 0, false // non-ASCII whitespace or identifier
		default:
			start = l.i
			l.nl = false
			tt, ok = l.token(c, prev, prevDot)
			return start, tt, ok
		}
	}
}

func (l *fastLexer) peek(k int) byte {
	if l.i+k < len(l.b) {
		return l.b[l.i+k]
	}
	return 0
}

// lineComment: to the end of the line (U+2028 and U+2029 end it too).
func (l *fastLexer) lineComment() {
	start := l.i
	l.nl = false // a comment is a token to tdewolff
	for ; l.i < len(l.b); l.i++ {
		if c := l.b[l.i]; c == '\n' || c == '\r' || c == 0xE2 && isLineSep(l.b[l.i:]) {
			break
		}
	}
	l.comment(start)
}

func (l *fastLexer) blockComment() bool {
	start := l.i
	end := bytes.Index(l.b[l.i+2:], []byte("*/"))
	if end < 0 {
		return false
	}
	l.i += 2 + end + 2
	c := l.b[start:l.i]
	l.nl = bytes.ContainsAny(c, "\n\r") || bytes.Contains(c, lineSep) || bytes.Contains(c, paraSep)
	l.comment(start)
	return true
}

var (
	lineSep = []byte("\u2028")
	paraSep = []byte("\u2029")
)

// isLineSep: b starts with U+2028 or U+2029, line terminators to JavaScript.
func isLineSep(b []byte) bool {
	return len(b) >= 3 && b[0] == 0xE2 && b[1] == 0x80 && (b[2] == 0xA8 || b[2] == 0xA9)
}

func (l *fastLexer) comment(start int) {
	if ig, ok := parseIgnore(l.s, l.b[start:l.i]); ok {
		l.igs = append(l.igs, ig)
	}
}

// token lexes the token starting with c at l.i.
func (l *fastLexer) token(c byte, prev js.TokenType, prevDot bool) (js.TokenType, bool) {
	switch {
	case identStart[c]:
		b, start := l.b, l.i
		j := start + 1
		for j < len(b) && identPart[b[j]] {
			j++
		}
		if j < len(b) && (b[j] >= 0x80 || b[j] == '\\') {
			return 0, false // the name goes on with a non-ASCII letter or an escape
		}
		l.i = j
		return keyword(b[start:j]), true
	case c >= '0' && c <= '9' || c == '.' && l.peek(1) >= '0' && l.peek(1) <= '9':
		return l.number()
	case c == '"' || c == '\'':
		return l.str(c)
	case c == '`':
		l.templates = append(l.templates, l.level)
		return l.template(false)
	case c == '#':
		l.i++
		if l.i >= len(l.b) || !identStart[l.b[l.i]] {
			return 0, false
		}
		for l.i++; l.i < len(l.b) && identPart[l.b[l.i]]; l.i++ {
		}
		if l.i < len(l.b) && (l.b[l.i] >= 0x80 || l.b[l.i] == '\\') {
			return 0, false
		}
		return js.PrivateIdentifierToken, true
	case c == '/' && regexpAllowed(prev, prevDot):
		return l.regexp()
	}
	return l.punctuator(c)
}

// punctuator lexes brackets, '.', '...', ';', ',', ':' and operators.
func (l *fastLexer) punctuator(c byte) (js.TokenType, bool) {
	l.i++
	switch c {
	case '(':
		l.level++
		return js.OpenParenToken, true
	case ')':
		l.level--
		return js.CloseParenToken, true
	case '{':
		l.level++
		return js.OpenBraceToken, true
	case '}':
		l.level--
		if n := len(l.templates); n > 0 && l.level == l.templates[n-1] {
			l.i--
			return l.template(true)
		}
		return js.CloseBraceToken, true
	case '[':
		return js.OpenBracketToken, true
	case ']':
		return js.CloseBracketToken, true
	case ';':
		return js.SemicolonToken, true
	case ',':
		return js.CommaToken, true
	case ':':
		return js.ColonToken, true
	case '.':
		if l.peek(0) == '.' && l.peek(1) == '.' {
			l.i += 2
			return js.EllipsisToken, true
		}
		return js.DotToken, true
	}
	l.i--
	return l.operator(c)
}

// operator is tdewolff's consumeOperatorToken.
func (l *fastLexer) operator(c byte) (js.TokenType, bool) {
	single := opSingle[c]
	if single == 0 {
		return 0, false
	}
	l.i++
	n := l.peek(0)
	switch {
	case n == '=':
		l.i++
		if l.peek(0) == '=' && (c == '!' || c == '=') {
			l.i++
			if c == '!' {
				return js.NotEqEqToken, true
			}
			return js.EqEqEqToken, true
		}
		return opEq[c], true
	case n == c && (c == '+' || c == '-' || c == '*' || c == '&' || c == '|' || c == '?' || c == '<'):
		l.i++
		if l.peek(0) == '=' && c != '+' && c != '-' {
			l.i++
			return opOpEq[c], true
		}
		return opOp[c], true
	case c == '?' && n == '.' && (l.peek(1) < '0' || l.peek(1) > '9'):
		l.i++
		return js.OptChainToken, true
	case c == '=' && n == '>':
		l.i++
		return js.ArrowToken, true
	case c == '>' && n == '>':
		l.i++
		if l.peek(0) == '>' {
			l.i++
			if l.peek(0) == '=' {
				l.i++
				return js.GtGtGtEqToken, true
			}
			return js.GtGtGtToken, true
		} else if l.peek(0) == '=' {
			l.i++
			return js.GtGtEqToken, true
		}
		return js.GtGtToken, true
	}
	return single, true
}

// The operator tables of tdewolff's lexer, by first character.
var opSingle, opEq, opOp, opOpEq [256]js.TokenType

func init() {
	for c, tt := range map[byte]js.TokenType{'=': js.EqToken, '!': js.NotToken, '<': js.LtToken, '>': js.GtToken,
		'+': js.AddToken, '-': js.SubToken, '*': js.MulToken, '/': js.DivToken, '%': js.ModToken,
		'&': js.BitAndToken, '|': js.BitOrToken, '^': js.BitXorToken, '~': js.BitNotToken, '?': js.QuestionToken} {
		opSingle[c] = tt
	}
	for c, tt := range map[byte]js.TokenType{'=': js.EqEqToken, '!': js.NotEqToken, '<': js.LtEqToken, '>': js.GtEqToken,
		'+': js.AddEqToken, '-': js.SubEqToken, '*': js.MulEqToken, '/': js.DivEqToken, '%': js.ModEqToken,
		'&': js.BitAndEqToken, '|': js.BitOrEqToken, '^': js.BitXorEqToken} {
		opEq[c] = tt
	}
	for c, tt := range map[byte]js.TokenType{'<': js.LtLtToken, '+': js.IncrToken, '-': js.DecrToken, '*': js.ExpToken,
		'&': js.AndToken, '|': js.OrToken, '?': js.NullishToken} {
		opOp[c] = tt
	}
	for c, tt := range map[byte]js.TokenType{'<': js.LtLtEqToken, '*': js.ExpEqToken, '&': js.AndEqToken,
		'|': js.OrEqToken, '?': js.NullishEqToken} {
		opOpEq[c] = tt
	}
}

// number is tdewolff's consumeNumericToken; an error (a legacy octal, a
// bad exponent, a name right after the number) gives up.
func (l *fastLexer) number() (js.TokenType, bool) {
	tt, ok := l.numeric()
	if ok && l.i < len(l.b) && (identStart[l.b[l.i]] || l.b[l.i] >= 0x80 || l.b[l.i] == '\\') {
		return 0, false // "unexpected identifier after number"
	}
	return tt, ok
}

func (l *fastLexer) numeric() (js.TokenType, bool) {
	first := l.b[l.i]
	if first == '0' {
		l.i++
		switch n := l.peek(0); {
		case n == 'x' || n == 'X':
			return l.radix(isHex, js.HexadecimalToken)
		case n == 'b' || n == 'B':
			return l.radix(isBinary, js.BinaryToken)
		case n == 'o' || n == 'O':
			return l.radix(isOctal, js.OctalToken)
		case n == 'n':
			l.i++
			return js.IntegerToken, true
		case n >= '0' && n <= '9':
			return 0, false // legacy octal
		}
	} else if first != '.' {
		l.digits(isDecimal)
	}
	c := l.peek(0)
	switch {
	case c == '.':
		l.i++
		if isDecimal(l.peek(0)) {
			l.digits(isDecimal)
		}
		c = l.peek(0)
	case c == 'n':
		l.i++
		return js.IntegerToken, true
	case c != 'e' && c != 'E':
		return js.IntegerToken, true
	}
	if c == 'e' || c == 'E' {
		l.i++
		if c := l.peek(0); c == '+' || c == '-' {
			l.i++
		}
		if !isDecimal(l.peek(0)) {
			return 0, false
		}
		l.digits(isDecimal)
	}
	return js.DecimalToken, true
}

// radix lexes 0x…, 0b…, 0o… (at the letter); with no digit after it the
// token is the 0 alone, as in tdewolff.
func (l *fastLexer) radix(digit func(byte) bool, tt js.TokenType) (js.TokenType, bool) {
	if !digit(l.peek(1)) {
		return js.IntegerToken, true
	}
	l.i++
	l.digits(digit)
	if l.peek(0) == 'n' {
		l.i++
	}
	return tt, true
}

// digits consumes digits with _ separators between them.
func (l *fastLexer) digits(digit func(byte) bool) {
	for l.i < len(l.b) {
		if digit(l.b[l.i]) {
			l.i++
		} else if l.b[l.i] == '_' && digit(l.peek(1)) {
			l.i += 2
		} else {
			return
		}
	}
}

func isDecimal(c byte) bool { return c >= '0' && c <= '9' }
func isBinary(c byte) bool  { return c == '0' || c == '1' }
func isOctal(c byte) bool   { return c >= '0' && c <= '7' }
func isHex(c byte) bool     { return isDecimal(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// str lexes '…' or "…": a line break ends it in error, unless escaped.
func (l *fastLexer) str(delim byte) (js.TokenType, bool) {
	for l.i++; l.i < len(l.b); {
		switch c := l.b[l.i]; c {
		case delim:
			l.i++
			return js.StringToken, true
		case '\\':
			l.i++
			if l.peek(0) == '\r' && l.peek(1) == '\n' {
				l.i += 2
			} else if l.i < len(l.b) {
				l.i++ // the escaped character (or line break)
			}
		case '\n', '\r':
			return 0, false
		default:
			l.i++
		}
	}
	return 0, false
}

// template lexes from a '`' or from the '}' that closes a substitution
// up to the next '${' or the closing '`'.
func (l *fastLexer) template(continued bool) (js.TokenType, bool) {
	for l.i++; l.i < len(l.b); l.i++ {
		switch l.b[l.i] {
		case '`':
			l.i++
			l.templates = l.templates[:len(l.templates)-1]
			if continued {
				return js.TemplateEndToken, true
			}
			return js.TemplateToken, true
		case '$':
			if l.peek(1) == '{' {
				l.i += 2
				l.level++
				if continued {
					return js.TemplateMiddleToken, true
				}
				return js.TemplateStartToken, true
			}
		case '\\':
			l.i++
		}
	}
	return 0, false
}

// regexp lexes /…/flags.
func (l *fastLexer) regexp() (js.TokenType, bool) {
	inClass := false
	for l.i++; ; l.i++ {
		if l.i >= len(l.b) {
			return 0, false
		}
		switch c := l.b[l.i]; {
		case c == '/' && !inClass:
			l.i++
			for l.i < len(l.b) && identPart[l.b[l.i]] {
				l.i++
			}
			if l.i < len(l.b) && l.b[l.i] >= 0x80 {
				return 0, false // a non-ASCII flag character
			}
			return js.RegExpToken, true
		case c == '[':
			inClass = true
		case c == ']':
			inClass = false
		case c == '\\':
			l.i++
			if l.i >= len(l.b) || l.b[l.i] == '\n' || l.b[l.i] == '\r' || isLineSep(l.b[l.i:]) {
				return 0, false
			}
		case c == '\n' || c == '\r' || isLineSep(l.b[l.i:]):
			return 0, false
		}
	}
}

var identStart, identPart [256]bool

func init() {
	for c := 0; c < 256; c++ {
		start := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '$' || c == '_'
		identStart[c] = start
		identPart[c] = start || c >= '0' && c <= '9'
	}
	for w, tt := range js.Keywords {
		k := &keywords[len(w)][w[0]-'a']
		*k = append(*k, kw{w, tt})
	}
}

type kw struct {
	word string
	tt   js.TokenType
}

// keywords lists js.Keywords by length and first letter: a name is
// compared with the one or two of its kind instead of hashed into a map.
var keywords [16][26][]kw

func keyword(name []byte) js.TokenType {
	if len(name) < len(keywords) && name[0] >= 'a' && name[0] <= 'z' {
		for _, k := range keywords[len(name)][name[0]-'a'] {
			if string(name) == k.word {
				return k.tt
			}
		}
	}
	return js.IdentifierToken
}
