package jsscan

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/tdewolff/parse/v2/js"
)

// Helpers over the tdewolff AST shared by the rules.

func unparen(e js.IExpr) js.IExpr {
	for {
		g, ok := e.(*js.GroupExpr)
		if !ok {
			return e
		}
		e = g.X
	}
}

// root follows a use of a name to the js.Var of its declaration.
func root(v *js.Var) *js.Var {
	for v.Link != nil {
		v = v.Link
	}
	return v
}

// isGlobal reports whether e names the undeclared (global) name.
func isGlobal(e js.IExpr, name string) bool {
	v, ok := unparen(e).(*js.Var)
	if !ok {
		return false
	}
	r := root(v)
	return r.Decl == js.NoDecl && string(r.Data) == name
}

// propName returns the property name of a.b (not a[b]), or "".
func propName(e js.IExpr) string { return string(propBytes(e)) }

// propBytes is propName without the copy, for comparisons: it is asked
// of every call in a file, several times.
func propBytes(e js.IExpr) []byte {
	d, ok := unparen(e).(*js.DotExpr)
	if !ok {
		return nil
	}
	if l, ok := d.Y.(js.LiteralExpr); ok {
		return l.Data
	}
	return nil
}

func isThis(e js.IExpr) bool {
	switch l := unparen(e).(type) {
	case js.LiteralExpr:
		return l.TokenType == js.ThisToken
	case *js.LiteralExpr:
		return l.TokenType == js.ThisToken
	}
	return false
}

// globalHosts are objects through which the timer functions are reached.
var globalHosts = map[string]bool{"global": true, "globalThis": true, "window": true, "self": true, "timers": true}

// timerCall returns "setTimeout" or "setInterval" when e calls one of the
// global timer functions (bare or through global/globalThis/window/timers).
func timerCall(e js.IExpr) string {
	c, ok := unparen(e).(*js.CallExpr)
	if !ok {
		return ""
	}
	return timerFunc(c.X, "setTimeout", "setInterval")
}

func timerFunc(callee js.IExpr, names ...string) string {
	callee = unparen(callee)
	if c, ok := callee.(*js.CommaExpr); ok && len(c.List) > 0 { // (0, timers_1.clearInterval)(x)
		callee = unparen(c.List[len(c.List)-1])
	}
	switch x := callee.(type) {
	case *js.Var: // a global setTimeout(…)
		if r := root(x); r.Decl == js.NoDecl {
			for _, n := range names {
				if string(r.Data) == n {
					return n
				}
			}
		}
	case *js.DotExpr: // host.setTimeout(…)
		prop := propBytes(x)
		for _, n := range names {
			if string(prop) != n {
				continue
			}
			if strings.HasPrefix(n, "clear") {
				return n // clearing through any module object is still clearing
			}
			if v, ok := unparen(x.X).(*js.Var); ok && (globalHosts[string(v.Data)] || bytes.HasPrefix(v.Data, []byte("timers"))) {
				return n
			}
		}
	}
	return ""
}

// isNullish reports null, undefined and void 0.
func isNullish(e js.IExpr) bool {
	switch x := unparen(e).(type) {
	case js.LiteralExpr:
		return x.TokenType == js.NullToken
	case *js.LiteralExpr:
		return x.TokenType == js.NullToken
	case *js.UnaryExpr:
		return x.Op == js.VoidToken
	}
	return isGlobal(e, "undefined")
}

func isFunc(n js.INode) bool {
	switch n.(type) {
	case *js.FuncDecl, *js.ArrowFunc, *js.MethodDecl:
		return true
	}
	return false
}

// enclosing returns the index of the nearest ancestor of i (i excluded)
// for which ok holds, or -1.
func (p *Pass) enclosing(i int, ok func(js.INode) bool) int {
	for j := int(p.nodes[i].parent); j >= 0; j = int(p.nodes[j].parent) {
		if ok(p.nodes[j].n) {
			return j
		}
	}
	return -1
}

// thisFunc returns the nearest enclosing non-arrow function (the one that
// binds `this`), or -1 at top level.
func (p *Pass) thisFunc(i int) int {
	return p.enclosing(i, func(n js.INode) bool {
		switch n.(type) {
		case *js.FuncDecl, *js.MethodDecl:
			return true
		}
		return false
	})
}

func (p *Pass) classOf(i int) int {
	return p.enclosing(i, func(n js.INode) bool { _, ok := n.(*js.ClassDecl); return ok })
}

// ownerOf returns the class or object literal whose methods `this` reaches
// from node i: the owner of the method `this` belongs to (arrows see
// through), else the enclosing class; -1 if none.
func (p *Pass) ownerOf(i int) int {
	if f := p.thisFunc(i); f >= 0 {
		if _, ok := p.nodes[f].n.(*js.MethodDecl); ok {
			return p.enclosing(f, func(n js.INode) bool {
				switch n.(type) {
				case *js.ClassDecl, *js.ObjectExpr:
					return true
				}
				return false
			})
		}
	}
	return p.classOf(i)
}

// keyOf is the source text of a storage place (this.timer, job.t, timers)
// used to match writes and releases of the same place.
func (p *Pass) keyOf(i int) string {
	s := p.closedSpan(i)
	if s.start < 0 || s.end > len(p.src.buf) || s.start > s.end {
		return ""
	}
	b := p.src.buf[s.start:s.end]
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return string(bytes.Join(bytes.Fields(b), nil)) // Unicode blanks too
		}
	}
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if !asciiSpace[c] {
			out = append(out, c)
		}
	}
	return string(out)
}

// asciiSpace is what bytes.Fields splits ASCII text at.
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// closedSpan is spanOf extended over the closing brackets that belong to
// subtree i (this.timers[id]: the ']' is no node of its own).
func (p *Pass) closedSpan(i int) span {
	s := p.spanOf(i)
	first, t := p.token(s.start), p.token(p.lastStart(i))
	for first >= 0 && t >= 0 && t+1 < len(p.toks) {
		next := p.toks[t+1]
		if next.tt != js.CloseBracketToken && next.tt != js.CloseParenToken || int(next.match) < first {
			break
		}
		t++
		s.end = int(next.end)
	}
	return s
}

// methodBody finds a method named name in the class (or object literal)
// at index cls, returning the method's node index or -1.
func (p *Pass) methodNamed(cls int, name string) int {
	if cls < 0 {
		return -1
	}
	for j := cls + 1; j < int(p.nodes[cls].end); j++ {
		m, ok := p.nodes[j].n.(*js.MethodDecl)
		if ok && m.Name.Private == nil && m.Name.Computed == nil && string(m.Name.Literal.Data) == name {
			return j
		}
	}
	return -1
}

// walkOwn calls fn for every node in subtree i except inside nested
// non-arrow functions (arrows share `this` with their parent).
func (p *Pass) walkOwn(i int, skipArrows bool, fn func(j int)) {
	end := int(p.nodes[i].end)
	for j := i + 1; j < end; {
		switch p.nodes[j].n.(type) {
		case *js.FuncDecl, *js.MethodDecl:
			j = int(p.nodes[j].end)
			continue
		case *js.ArrowFunc:
			if skipArrows {
				j = int(p.nodes[j].end)
				continue
			}
		}
		fn(j)
		j++
	}
}

// callOpen returns the token index of the '(' opening the arguments of the
// call at node i, or -1.
func (p *Pass) callOpen(i int) int {
	c, ok := p.nodes[i].n.(*js.CallExpr)
	if !ok {
		return -1
	}
	x := p.child(i, c.X)
	if x < 0 {
		return -1
	}
	t := p.token(p.lastStart(x))
	if t < 0 {
		return -1
	}
	for t++; t < len(p.toks); t++ {
		switch p.toks[t].tt {
		case js.OptChainToken, js.CloseParenToken:
			continue
		case js.OpenParenToken:
			return t
		}
		return -1
	}
	return -1
}

// lastStart is the start of the last positioned token of subtree i.
func (p *Pass) lastStart(i int) int {
	if i < 0 {
		return -1
	}
	for j := int(p.nodes[i].end) - 1; j >= i; j-- {
		if p.nodes[j].off >= 0 {
			return int(p.nodes[j].off)
		}
	}
	return -1
}

// bodyOpen returns the token index of the '{' of a function starting at
// token t (async, function, arrow parameters), or -1 (concise arrow).
func (p *Pass) bodyOpen(t int) int {
	tk := func(i int) js.TokenType {
		if i < 0 || i >= len(p.toks) {
			return js.ErrorToken
		}
		return p.toks[i].tt
	}
	if tk(t) == js.AsyncToken && tk(t+1) != js.ArrowToken {
		t++
	}
	if tk(t) == js.FunctionToken {
		for t < len(p.toks) && tk(t) != js.OpenParenToken {
			t++
		}
	}
	if tk(t) == js.OpenParenToken {
		t = int(p.toks[t].match) // the parameter list's ')'
		if t < 0 {
			return -1
		}
	}
	t++ // '=>' or '{' after ')', or '=>' after a single arrow parameter
	if tk(t) == js.ArrowToken {
		t++
	}
	if tk(t) == js.OpenBraceToken {
		return t
	}
	return -1
}
