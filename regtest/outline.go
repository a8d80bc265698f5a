package regtest

import (
	"github.com/tdewolff/parse/v2/js"
)

// An outline is what a test needs to know of a module: its top-level
// classes with their methods, and what it exports under which name.
type outline struct {
	classes []class
	exports []export
	esm     bool // import/export statements: an ES module
}

type class struct {
	name    string
	methods []method
}

type method struct {
	name     string
	static   bool
	required int // parameters without a default value (a rest parameter is optional)
	bodyOff  int // offsets of the body's braces
	bodyEnd  int
}

// export is one exported binding: name is what importers use ("" for the
// CommonJS module.exports value itself or the ES default export), local
// the top-level name it refers to.
type export struct {
	name, local string
}

// ctor returns the class's constructor (required 0 when it has none).
func (c *class) ctor() method {
	for _, m := range c.methods {
		if m.name == "constructor" && !m.static {
			return m
		}
	}
	return method{name: "constructor", bodyOff: -1, bodyEnd: -1}
}

// at returns the method whose body holds offset, if any.
func (c *class) at(offset int) (method, bool) {
	for _, m := range c.methods {
		if m.bodyOff <= offset && offset < m.bodyEnd {
			return m, true
		}
	}
	return method{}, false
}

// exportOf returns how importers reach the top-level name local.
func (o *outline) exportOf(local string) (export, bool) {
	for _, e := range o.exports {
		if e.local == local {
			return e, true
		}
	}
	return export{}, false
}

// outlineOf reads the top level of a module: class declarations and
// class expressions bound to a name, and its CommonJS and ES exports.
func outlineOf(src []byte) *outline {
	t := lex(src)
	o := &outline{}
	for i := 0; i < len(t); i++ {
		switch {
		case t[i].tt == js.ClassToken:
			if c, end, ok := classAt(t, i); ok {
				o.classes = append(o.classes, c)
				i = end
			}
		case t[i].tt == js.ImportToken && (i+1 >= len(t) || t[i+1].tt != js.OpenParenToken && t[i+1].tt != js.DotToken):
			o.esm = true
		case t[i].tt == js.ExportToken:
			o.esm = true
			o.exports = append(o.exports, esExports(t, i)...)
		case isModuleExports(t, i):
			o.exports = append(o.exports, cjsExports(t, i)...)
		}
		if t[i].match > i && (t[i].tt == js.OpenBraceToken || t[i].tt == js.OpenParenToken || t[i].tt == js.OpenBracketToken) {
			i = t[i].match // only the top level
		}
	}
	return o
}

// classAt reads `class Name … { members }` at t[i], or the class of
// `const Name = class … {}` whose name comes before it. It returns the
// index of the closing brace.
func classAt(t []tok, i int) (class, int, bool) {
	c := class{}
	if i+1 < len(t) && t[i+1].tt == js.IdentifierToken {
		c.name = t[i+1].text
	}
	if i >= 3 && t[i-1].tt == js.EqToken && t[i-2].tt == js.IdentifierToken && isDeclaration(t[i-3].tt) {
		c.name = t[i-2].text // const Name = class {…}: the binding is the name importers see
	}
	open := i + 1
	for open < len(t) && t[open].tt != js.OpenBraceToken {
		if t[open].match > open {
			open = t[open].match // extends mixin(a, b)
		}
		open++
	}
	if open >= len(t) || t[open].match < 0 || c.name == "" {
		return class{}, len(t), false
	}
	c.methods = members(t, open+1, t[open].match)
	return c, t[open].match, true
}

// members reads the methods of a class body t[from:to]: a name followed
// by a parameter list and a body, with static, async, get, set and *
// before it. Fields and their initializers are skipped.
func members(t []tok, from, to int) []method {
	var out []method
	for i := from; i < to; i++ {
		if t[i].tt == js.OpenParenToken && t[i].match > 0 && t[i].match+1 < to && t[t[i].match+1].tt == js.OpenBraceToken && i > from {
			name := t[i-1]
			if isMemberName(name.tt) && (i-2 < from || t[i-2].tt != js.DotToken && t[i-2].tt != js.EqToken) {
				body := t[i].match + 1
				out = append(out, method{
					name:     name.text,
					static:   modifier(t, from, i-1, "static"),
					required: requiredParams(t, i+1, t[i].match),
					bodyOff:  t[body].off,
					bodyEnd:  t[t[body].match].end,
				})
				i = t[body].match
				continue
			}
		}
		if t[i].match > i {
			i = t[i].match
		}
	}
	return out
}

func isDeclaration(tt js.TokenType) bool {
	return tt == js.ConstToken || tt == js.LetToken || tt == js.VarToken
}

func isMemberName(tt js.TokenType) bool {
	return tt == js.IdentifierToken || tt == js.PrivateIdentifierToken || tt == js.StringToken || js.IsReservedWord(tt)
}

// modifier reports whether word is among the modifiers before the member
// name at t[name] (static async get set *), within the class body.
func modifier(t []tok, from, name int, word string) bool {
	for j := name - 1; j >= from; j-- {
		switch t[j].text {
		case word:
			return true
		case "static", "async", "get", "set", "*":
			continue
		}
		return false
	}
	return false
}

// requiredParams counts the parameters in t[from:to] that a call must
// pass: those without a default value and not a rest parameter.
func requiredParams(t []tok, from, to int) int {
	n := 0
	start := from
	for i := from; i <= to; i++ {
		if i < to && t[i].tt != js.CommaToken {
			if t[i].match > i {
				i = t[i].match
			}
			continue
		}
		if start < i && !optionalParam(t, start, i) {
			n++
		}
		start = i + 1
	}
	return n
}

func optionalParam(t []tok, from, to int) bool {
	if t[from].tt == js.EllipsisToken {
		return true
	}
	for i := from; i < to; i++ {
		if t[i].tt == js.EqToken {
			return true
		}
		if t[i].match > i {
			i = t[i].match
		}
	}
	return false
}
