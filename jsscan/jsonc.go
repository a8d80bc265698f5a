package jsscan

import (
	"fmt"
	"strconv"
)

// jvalue is a JSONC value (JSON with comments and trailing commas, the
// tsconfig.json dialect) with byte offsets, enough to point at and edit
// one setting.
type jvalue struct {
	kind       byte // '{', '[', '"', 'v' (number, true, false, null)
	start, end int
	str        string
	keys       []string
	vals       []*jvalue
}

func (v *jvalue) get(key string) *jvalue {
	if v == nil || v.kind != '{' {
		return nil
	}
	for i, k := range v.keys {
		if k == key {
			return v.vals[i]
		}
	}
	return nil
}

type jsoncParser struct {
	b     []byte
	i     int
	depth int
}

// parseJSONC parses a tsconfig-style document.
func parseJSONC(b []byte) (*jvalue, error) {
	p := &jsoncParser{b: b}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.skip()
	if p.i < len(p.b) {
		return nil, p.errorf("unexpected %q after the document", p.b[p.i])
	}
	return v, nil
}

func (p *jsoncParser) errorf(format string, a ...any) error {
	return fmt.Errorf("offset %d: %s", p.i, fmt.Sprintf(format, a...))
}

// skip passes whitespace and comments.
func (p *jsoncParser) skip() {
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xEF || c == 0xBB || c == 0xBF:
			p.i++
		case c == '/' && p.i+1 < len(p.b) && p.b[p.i+1] == '/':
			for p.i < len(p.b) && p.b[p.i] != '\n' {
				p.i++
			}
		case c == '/' && p.i+1 < len(p.b) && p.b[p.i+1] == '*':
			p.i += 2
			for p.i+1 < len(p.b) && !(p.b[p.i] == '*' && p.b[p.i+1] == '/') {
				p.i++
			}
			p.i += 2
		default:
			return
		}
	}
}

func (p *jsoncParser) value() (*jvalue, error) {
	p.skip()
	if p.i >= len(p.b) {
		return nil, p.errorf("unexpected end of input")
	}
	if p.depth > 200 {
		return nil, p.errorf("nested too deeply")
	}
	switch p.b[p.i] {
	case '{', '[':
		return p.container()
	case '"':
		return p.string()
	}
	start := p.i
	for p.i < len(p.b) && (p.b[p.i] == '-' || p.b[p.i] == '+' || p.b[p.i] == '.' ||
		'0' <= p.b[p.i] && p.b[p.i] <= '9' || 'a' <= p.b[p.i] && p.b[p.i] <= 'z' || 'A' <= p.b[p.i] && p.b[p.i] <= 'Z') {
		p.i++
	}
	if p.i == start {
		return nil, p.errorf("unexpected %q", p.b[p.i])
	}
	return &jvalue{kind: 'v', start: start, end: p.i, str: string(p.b[start:p.i])}, nil
}

func (p *jsoncParser) string() (*jvalue, error) {
	start := p.i
	p.i++
	for p.i < len(p.b) && p.b[p.i] != '"' {
		if p.b[p.i] == '\\' && p.i+1 < len(p.b) {
			p.i++
		}
		if p.b[p.i] == '\n' {
			return nil, p.errorf("newline in string")
		}
		p.i++
	}
	if p.i >= len(p.b) {
		return nil, p.errorf("unterminated string")
	}
	p.i++
	s, err := strconv.Unquote(string(p.b[start:p.i]))
	if err != nil {
		s = string(p.b[start+1 : p.i-1])
	}
	return &jvalue{kind: '"', start: start, end: p.i, str: s}, nil
}

func (p *jsoncParser) container() (*jvalue, error) {
	v := &jvalue{kind: p.b[p.i], start: p.i}
	closer := byte('}')
	if v.kind == '[' {
		closer = ']'
	}
	p.i++
	p.depth++
	defer func() { p.depth-- }()
	for {
		p.skip()
		if p.i >= len(p.b) {
			return nil, p.errorf("unterminated %c", v.kind)
		}
		if p.b[p.i] == closer {
			p.i++
			v.end = p.i
			return v, nil
		}
		if v.kind == '{' {
			if p.b[p.i] != '"' {
				return nil, p.errorf("expected a property name")
			}
			k, err := p.string()
			if err != nil || k.kind != '"' {
				return nil, p.errorf("expected a property name")
			}
			p.skip()
			if p.i >= len(p.b) || p.b[p.i] != ':' {
				return nil, p.errorf("expected ':'")
			}
			p.i++
			v.keys = append(v.keys, k.str)
		}
		e, err := p.value()
		if err != nil {
			return nil, err
		}
		v.vals = append(v.vals, e)
		p.skip()
		if p.i < len(p.b) && p.b[p.i] == ',' {
			p.i++
		} else if p.i < len(p.b) && p.b[p.i] != closer {
			return nil, p.errorf("expected ',' or '%c'", closer)
		}
	}
}
