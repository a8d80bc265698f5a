package jsscan

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/tdewolff/parse/v2/js"
)

// A LEAK001 fix stores null (or undefined) in the timer's place where the
// timer fires and after each clear. It is safe, applied by --fix, only when
// the scanner has proved in the file that no other use of the place can
// notice: every use is a store, a clearTimeout/clearInterval argument
// (both accept null), an optional member access (t?.unref()), a member
// access right after a new timer was stored, or a test whose guarded code
// only clears or releases the place. Anything else (t.unref() elsewhere,
// `if (!t) t = setTimeout(…)` that would now re-arm after close, t passed
// on) makes the fix not safe, with a sentence saying what to check.

// nullSafety returns "" when every use of st in the file tolerates the
// released value, else what to check.
func (p *Pass) nullSafety(st storage) string {
	return memoized(&p.safety, st, p.placeSafety)
}

// memoized returns f(st), computed once per storage place and kept in *m:
// every timer stored in the same place asks the same question.
func memoized(m *map[clearKey]string, st storage, f func(storage) string) string {
	k := clearKey{key: st.key, v: st.v}
	if v, ok := (*m)[k]; ok {
		return v
	}
	if *m == nil {
		*m = map[clearKey]string{}
	}
	v := f(st)
	(*m)[k] = v
	return v
}

func (p *Pass) placeSafety(st storage) string {
	name := st.key
	if k := strings.LastIndexByte(name, '.'); k >= 0 {
		name = name[k+1:]
	}
	for _, j := range p.placeCandidates(st, name) {
		if !p.isPlaceUse(j, st, name) {
			continue
		}
		if why := p.useNeedsValue(j, st); why != "" {
			line := p.lineOf(j)
			return fmt.Sprintf("line %d %s", line, why)
		}
	}
	return ""
}

func (p *Pass) lineOf(j int) int {
	s := p.start(j)
	if s < 0 {
		return 0
	}
	if o, _, ok := p.back(s); ok {
		return p.orig.pos(o).Line + 1
	}
	return p.src.pos(s).Line + 1
}

// isPlaceUse: node j names the place st (this.t through any this-alias,
// or the variable).
func (p *Pass) isPlaceUse(j int, st storage, name string) bool {
	switch n := p.nodes[j].n.(type) {
	case *js.Var:
		if st.v == nil {
			return false
		}
		if _, decl := p.nodes[int(p.nodes[j].parent)].n.(*js.BindingElement); decl {
			return false
		}
		return root(n) == st.v
	case *js.DotExpr:
		return st.v == nil && memberName(n) == name && p.samePlace(p.keyOf(j), st.key)
	}
	return false
}

// useNeedsValue says why the use at node j would behave differently once
// the place holds null, or "" when it would not.
func (p *Pass) useNeedsValue(j int, st storage) string {
	par := int(p.nodes[j].parent)
	if par < 0 {
		return ""
	}
	key := st.key
	switch n := p.nodes[par].n.(type) {
	case *js.BinaryExpr:
		if n.Op == js.EqToken && p.child(par, n.X) == j {
			return "" // a store
		}
		if n.Op == js.AndToken || n.Op == js.OrToken || n.Op == js.NullishToken || isEquality(n.Op) {
			return p.testOnlyClears(par, st)
		}
	case *js.Arg:
		call := int(p.nodes[int(p.nodes[par].parent)].parent)
		if c, ok := p.nodes[call].n.(*js.CallExpr); ok && timerFunc(c.X, "clearTimeout", "clearInterval") != "" {
			return ""
		}
		return "passes " + key + " on: check that the callee accepts null"
	case *js.DotExpr, *js.IndexExpr:
		if d, ok := n.(*js.DotExpr); ok && d.Optional {
			return ""
		}
		if p.justArmed(j, st) || p.guarded(j, st) {
			return ""
		}
		return "uses " + key + "." + memberAfter(n) + " without a null check: it would throw once " + key + " is null"
	case *js.CallExpr:
		if p.justArmed(j, st) || p.guarded(j, st) {
			return ""
		}
		return "calls " + key + " without a null check"
	case *js.UnaryExpr:
		if n.Op == js.NotToken || n.Op == js.TypeofToken {
			return p.testOnlyClears(par, st)
		}
	case *js.IfStmt, *js.CondExpr:
		return p.testOnlyClears(j, st)
	case *js.ExprStmt:
		return ""
	}
	return "reads " + key + ": check that null there changes nothing"
}

func isEquality(op js.TokenType) bool {
	switch op {
	case js.EqEqToken, js.NotEqToken, js.EqEqEqToken, js.NotEqEqToken:
		return true
	}
	return false
}

func memberAfter(n js.INode) string {
	if d, ok := n.(*js.DotExpr); ok {
		return memberName(d)
	}
	return "[…]"
}

// testOnlyClears: the test at node t guards code that only clears or
// releases the place (`if (this.t) clearTimeout(this.t)`, `t && clearTimeout(t)`):
// skipping that code when the place is null changes nothing.
func (p *Pass) testOnlyClears(t int, st storage) string {
	for up, j := 0, t; up < 4 && j >= 0; up, j = up+1, int(p.nodes[j].parent) {
		switch n := p.nodes[j].n.(type) {
		case *js.IfStmt:
			if n.Else == nil && p.onlyClears(p.child(j, n.Body), st) {
				return ""
			}
			return "tests " + st.key + ": once it is null this branch runs differently (check it does not start a new timer after close or skip needed work)"
		case *js.BinaryExpr:
			if n.Op == js.AndToken && p.onlyClears(p.child(j, n.Y), st) {
				return ""
			}
		}
	}
	return "tests " + st.key + ": check that a null there changes nothing"
}

// onlyClears: every call in the subtree at i clears the place, and every
// store releases it.
func (p *Pass) onlyClears(i int, st storage) bool {
	if i < 0 {
		return false
	}
	calls := 0
	for j := i; j < int(p.nodes[i].end); j++ {
		switch n := p.nodes[j].n.(type) {
		case *js.CallExpr:
			if timerFunc(n.X, "clearTimeout", "clearInterval") == "" {
				return false
			}
			calls++
		case *js.BinaryExpr:
			if n.Op == js.EqToken && !p.isRelease(j, st) {
				return false
			}
		case *js.FuncDecl, *js.ArrowFunc, *js.ReturnStmt, *js.ThrowStmt:
			return false
		}
	}
	return calls > 0
}

// justArmed: the use comes right after a new timer was stored in the
// place, in the same statement or one of the two statements before it in
// its block (this.t = setTimeout(…); this.t.unref()).
func (p *Pass) justArmed(j int, st storage) bool {
	stmt := j
	for stmt >= 0 {
		par := int(p.nodes[stmt].parent)
		if par < 0 {
			return false
		}
		if _, ok := p.nodes[par].n.(*js.BlockStmt); ok {
			break
		}
		if isFunc(p.nodes[par].n) {
			return false
		}
		stmt = par
	}
	if stmt < 0 {
		return false
	}
	for k := stmt; k < j; k++ {
		if p.isRearm(k, st) {
			return true
		}
	}
	block := int(p.nodes[stmt].parent)
	prev := p.children(block)
	for idx, c := range prev {
		if c != stmt {
			continue
		}
		for back := idx - 1; back >= 0 && back >= idx-2; back-- {
			for k := prev[back]; k < int(p.nodes[prev[back]].end); k++ {
				if p.isRearm(k, st) {
					return true
				}
			}
		}
	}
	return false
}

// guarded: the use sits in the body of an if (or after &&, or in a
// ternary branch) whose test checks the place itself.
func (p *Pass) guarded(j int, st storage) bool {
	for k := int(p.nodes[j].parent); k >= 0 && !isFunc(p.nodes[k].n); k = int(p.nodes[k].parent) {
		switch n := p.nodes[k].n.(type) {
		case *js.IfStmt:
			if body := p.child(k, n.Body); body >= 0 && j >= body && j < int(p.nodes[body].end) && p.mentions(p.child(k, n.Cond), st) {
				return true
			}
		case *js.BinaryExpr:
			if n.Op == js.AndToken {
				if y := p.child(k, n.Y); y >= 0 && j >= y && p.mentions(p.child(k, n.X), st) {
					return true
				}
			}
		case *js.CondExpr:
			if c := p.child(k, n.Cond); c >= 0 && j >= int(p.nodes[c].end) && p.mentions(c, st) {
				return true
			}
		}
	}
	return false
}

func (p *Pass) mentions(i int, st storage) bool {
	if i < 0 {
		return false
	}
	name := st.key
	if k := strings.LastIndexByte(name, '.'); k >= 0 {
		name = name[k+1:]
	}
	for j := i; j < int(p.nodes[i].end); j++ {
		if p.isPlaceUse(j, st, name) {
			return true
		}
	}
	return false
}

// releaseValue is what a TypeScript fix may store in a field or variable
// declared in the original source: undefined for `t?: T`, null or
// undefined when the declared type admits one, "" when the type admits
// neither (the fix would not compile under strictNullChecks) or the
// declaration is not found. JavaScript always takes null.
func (p *Pass) releaseValue(st storage) string {
	if p.orig == p.src {
		return "null"
	}
	return memoized(&p.releaseVals, st, p.declaredRelease)
}

func (p *Pass) declaredRelease(st storage) string {
	name := st.key
	if st.v == nil {
		k := strings.LastIndexByte(name, '.')
		if k < 0 || !strings.HasPrefix(name, "this.") || strings.ContainsAny(name, "[(") {
			return ""
		}
		name = name[k+1:]
	}
	m := declaredType(p.orig.buf, name)
	if m == nil {
		return ""
	}
	optional, typ, end := m[0], strings.TrimSpace(m[1]), m[2]
	switch {
	case optional == "?":
		return "undefined"
	case typ == "":
		if st.v != nil && end != "=" {
			return "undefined" // let t; is any
		}
		return ""
	case hasWord(typ, "null"):
		return "null"
	case hasWord(typ, "undefined"):
		return "undefined"
	case typ == "any" || typ == "unknown":
		return "null"
	}
	return ""
}

// placeCandidates lists the nodes that may name st: a.name nodes, or the
// uses of st's variable. Each index is built on the first question that
// needs it, once per file: most files ask about this.x places only, and
// the index of every variable's uses is a slice per variable.
func (p *Pass) placeCandidates(st storage, name string) []int {
	if st.v != nil {
		if p.varUses == nil {
			p.varUses = map[*js.Var][]int{}
			for j := range p.nodes {
				if v, ok := p.nodes[j].n.(*js.Var); ok {
					if r := root(v); r.Decl != js.NoDecl {
						p.varUses[r] = append(p.varUses[r], j)
					}
				}
			}
		}
		return p.varUses[st.v]
	}
	if p.members == nil {
		p.members = map[string][]int{}
		for j := range p.nodes {
			if d, ok := p.nodes[j].n.(*js.DotExpr); ok {
				m := memberName(d)
				p.members[m] = append(p.members[m], j)
			}
		}
	}
	return p.members[name]
}

// declaredType finds the first declaration of name in TypeScript source
// (a class field, a parameter property or a let/var) and returns its
// optional mark ("?" or ""), its type annotation and the character that
// ends it (";", "=", "\n"). A plain byte search, not a regexp: it runs per
// finding over the whole file.
func declaredType(src []byte, name string) []string {
	for off := 0; ; {
		k := bytes.Index(src[off:], []byte(name))
		if k < 0 {
			return nil
		}
		at := off + k
		off = at + len(name)
		if at > 0 && (isIdentByte(src[at-1]) || src[at-1] == '.' || src[at-1] == '#') {
			continue
		}
		if off < len(src) && isIdentByte(src[off]) {
			continue
		}
		if !declStart(src[:at]) {
			continue
		}
		i := off
		for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
		mark := ""
		if i < len(src) && (src[i] == '?' || src[i] == '!') {
			mark = string(src[i])
			i++
		}
		for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
		typ := ""
		if i < len(src) && src[i] == ':' {
			j := i + 1
			for j < len(src) && src[j] != ';' && src[j] != '=' && src[j] != '\n' && src[j] != '{' {
				j++
			}
			typ, i = string(src[i+1:j]), j
		}
		for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r') {
			i++
		}
		if i >= len(src) || !strings.ContainsRune(";=\n", rune(src[i])) || mark == "" && typ == "" && src[i] != ';' && src[i] != '=' {
			continue
		}
		return []string{mark, typ, string(src[i])}
	}
}

// declStart: what precedes a name that starts a declaration (a line
// start, '{', ';', ',', '(', or a modifier / let / var keyword).
func declStart(before []byte) bool {
	t := bytes.TrimRight(before, " \t")
	if len(t) == 0 {
		return true
	}
	switch t[len(t)-1] {
	case '\n', '{', ';', ',', '(':
		return true
	}
	for _, kw := range []string{"let", "var", "private", "public", "protected", "readonly", "declare", "static", "override"} {
		if bytes.HasSuffix(t, []byte(kw)) && (len(t) == len(kw) || !isIdentByte(t[len(t)-len(kw)-1])) {
			return true
		}
	}
	return false
}

func isIdentByte(b byte) bool {
	return b == '_' || b == '$' || b >= 0x80 || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

func hasWord(s, w string) bool {
	for off := 0; ; {
		k := strings.Index(s[off:], w)
		if k < 0 {
			return false
		}
		at := off + k
		off = at + len(w)
		if (at == 0 || !isIdentByte(s[at-1])) && (off >= len(s) || !isIdentByte(s[off])) {
			return true
		}
	}
}
