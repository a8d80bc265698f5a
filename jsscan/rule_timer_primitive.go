package jsscan

import (
	"strings"

	"github.com/tdewolff/parse/v2/js"
)

var timerPrimitiveRule = &Rule{
	Code: CodeTimerPrimitive,
	Name: "timer-to-primitive",
	Doc: "Turning a Timeout from setTimeout into a primitive (+t, Number(t), String(t), `${t}`, t[Symbol.toPrimitive](), obj[t]) " +
		"makes Node keep it in an internal id map; on Node <20.16 and <22.4 (nodejs/node#53335) it is never removed " +
		"after the timer fires, so every such Timeout and its closure leak. Keep the Timeout object itself (a Map keyed by it), " +
		"or clearTimeout it inside its own callback (try/finally). Intervals are not affected: clearInterval(id) removes them.",
	Run: runTimerPrimitive,
}

func runTimerPrimitive(p *Pass) {
	t := p.timeoutsOf()
	vars, places := p.timerHolders(t)
	isTimer := func(j int, e js.IExpr) bool {
		e = unparen(e)
		if t.call(e) {
			return true
		}
		switch x := e.(type) {
		case *js.Var:
			return vars[root(x)]
		case *js.DotExpr:
			return len(places) > 0 && places[p.placeOf(j, p.keyOf(p.find(j, x)))]
		}
		return false
	}
	for i := range p.nodes {
		what, operand := conversion(p.nodes[i].n, func(e js.IExpr) bool { return isTimer(i, e) })
		if what == "" || p.selfCleared(i, operand, t) {
			continue
		}
		at := p.spanOf(i)
		if _, ok := p.nodes[i].n.(*js.UnaryExpr); ok { // include the '+' before the operand
			if tok := p.token(p.start(i)); tok > 0 && p.toks[tok-1].tt == js.AddToken {
				at.start = int(p.toks[tok-1].off)
			}
		}
		p.reportAt(at, "Timeout converted to a primitive ("+what+"): on Node <20.16 and <22.4 it stays in Node's timer id map after it fires (nodejs/node#53335); keep the Timeout object, or clearTimeout it inside its own callback (try/finally)", nil, nil)
	}
}

// conversion names the primitive conversion node n makes of a timer (as
// isTimer decides) and returns the converted operand, or "".
func conversion(n js.INode, isTimer func(js.IExpr) bool) (string, js.IExpr) {
	switch n := n.(type) {
	case *js.UnaryExpr:
		if n.Op == js.PosToken && isTimer(n.X) {
			return "unary +", n.X
		}
	case *js.CallExpr:
		if len(n.Args.List) == 1 && (isGlobal(n.X, "Number") || isGlobal(n.X, "String")) && isTimer(n.Args.List[0].Value) {
			return string(unparen(n.X).(*js.Var).Data) + "()", n.Args.List[0].Value
		}
		if ix, ok := unparen(n.X).(*js.IndexExpr); ok && propName(ix.Y) == "toPrimitive" && isTimer(ix.X) {
			return "[Symbol.toPrimitive]()", ix.X
		}
	case *js.TemplateExpr:
		if n.Tag == nil {
			for _, part := range n.List {
				if isTimer(part.Expr) {
					return "a template literal", part.Expr
				}
			}
		}
	case *js.IndexExpr:
		if isTimer(n.Y) {
			return "a property key", n.Y
		}
	case *js.BinaryExpr:
		if n.Op == js.AddToken && isString(n.X) && isTimer(n.Y) {
			return "string concatenation", n.Y
		}
		if n.Op == js.AddToken && isString(n.Y) && isTimer(n.X) {
			return "string concatenation", n.X
		}
	}
	return "", nil
}

func isString(e js.IExpr) bool {
	switch x := unparen(e).(type) {
	case js.LiteralExpr:
		return x.TokenType == js.StringToken
	case *js.LiteralExpr:
		return x.TokenType == js.StringToken
	case *js.TemplateExpr:
		return x.Tag == nil
	}
	return false
}

// place is a property that holds a timer: this.x belongs to the class (or
// object literal) of its method, so another class's this.x is another
// place; other keys (job.t) are matched by text file-wide.
type place struct {
	owner int // node of the class or object literal, -1 for other keys
	key   string
}

func (p *Pass) placeOf(i int, key string) place {
	if strings.HasPrefix(key, "this.") {
		return place{p.ownerOf(i), key}
	}
	return place{-1, key}
}

// timerHolders finds the variables (by declaration) and places (this.x)
// that are assigned a one-shot timer (t.call) anywhere in the file.
func (p *Pass) timerHolders(t timeouts) (map[*js.Var]bool, map[place]bool) {
	vars := map[*js.Var]bool{}
	var places map[place]bool
	for i := range p.nodes {
		switch n := p.nodes[i].n.(type) {
		case *js.BindingElement:
			if v, ok := n.Binding.(*js.Var); ok && n.Default != nil && t.call(n.Default) {
				vars[root(v)] = true
			}
		case *js.BinaryExpr:
			if n.Op != js.EqToken || !t.call(n.Y) {
				continue
			}
			switch x := unparen(n.X).(type) {
			case *js.Var:
				vars[root(x)] = true
			case *js.DotExpr:
				if places == nil {
					places = map[place]bool{}
				}
				places[p.placeOf(i, p.keyOf(p.child(i, n.X)))] = true
			}
		}
	}
	return vars, places
}

// assignedVar is the variable the value of node i is stored in, or nil
// (const f = async () => ...; f = function () ...; const t = setTimeout(...)).
func (p *Pass) assignedVar(i int) *js.Var {
	par := int(p.nodes[i].parent)
	if par < 0 {
		return nil
	}
	switch n := p.nodes[par].n.(type) {
	case *js.BindingElement:
		if v, ok := n.Binding.(*js.Var); ok {
			return root(v)
		}
	case *js.BinaryExpr:
		if v, ok := unparen(n.X).(*js.Var); ok && n.Op == js.EqToken {
			return root(v)
		}
	}
	return nil
}
