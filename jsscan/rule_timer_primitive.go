package jsscan

import (
	"strings"

	"github.com/tdewolff/parse/v2/js"
)

var timerPrimitiveRule = &Rule{
	Code: CodeTimerPrimitive,
	Name: "timer-to-primitive",
	Doc: "Turning a Timeout into a primitive (+t, Number(t), String(t), `${t}`, t[Symbol.toPrimitive](), obj[t]) " +
		"makes Node keep it in an internal id map; on affected versions (nodejs/node#53335) it is never removed " +
		"after the timer fires, so every such Timeout and its closure leak. Keep the Timeout object itself (a Map keyed by it) " +
		"and release it when done.",
	Run: runTimerPrimitive,
}

func runTimerPrimitive(p *Pass) {
	vars, places := p.timerHolders()
	isTimer := func(j int, e js.IExpr) bool {
		e = unparen(e)
		if timerCall(e) != "" {
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
		what := ""
		switch n := p.nodes[i].n.(type) {
		case *js.UnaryExpr:
			if n.Op == js.PosToken && isTimer(i, n.X) {
				what = "unary +"
			}
		case *js.CallExpr:
			if len(n.Args.List) == 1 && (isGlobal(n.X, "Number") || isGlobal(n.X, "String")) && isTimer(i, n.Args.List[0].Value) {
				what = string(unparen(n.X).(*js.Var).Data) + "()"
			}
			if ix, ok := unparen(n.X).(*js.IndexExpr); ok && propName(ix.Y) == "toPrimitive" && isTimer(i, ix.X) {
				what = "[Symbol.toPrimitive]()"
			}
		case *js.TemplateExpr:
			if n.Tag == nil {
				for _, part := range n.List {
					if isTimer(i, part.Expr) {
						what = "a template literal"
					}
				}
			}
		case *js.IndexExpr:
			if isTimer(i, n.Y) {
				what = "a property key"
			}
		case *js.BinaryExpr:
			if n.Op == js.AddToken && (isString(n.X) && isTimer(i, n.Y) || isString(n.Y) && isTimer(i, n.X)) {
				what = "string concatenation"
			}
		}
		if what == "" {
			continue
		}
		at := p.spanOf(i)
		if _, ok := p.nodes[i].n.(*js.UnaryExpr); ok { // include the '+' before the operand
			if t := p.token(p.start(i)); t > 0 && p.toks[t-1].tt == js.AddToken {
				at.start = int(p.toks[t-1].off)
			}
		}
		p.reportAt(at, "Timeout converted to a primitive ("+what+"): Node keeps such timers in an id map that leaks them after they fire (nodejs/node#53335); keep the Timeout object instead", nil, nil)
	}
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
// that are assigned a timer anywhere in the file.
func (p *Pass) timerHolders() (map[*js.Var]bool, map[place]bool) {
	vars := map[*js.Var]bool{}
	var places map[place]bool
	for i := range p.nodes {
		switch n := p.nodes[i].n.(type) {
		case *js.BindingElement:
			if v, ok := n.Binding.(*js.Var); ok && n.Default != nil && timerCall(n.Default) != "" {
				vars[root(v)] = true
			}
		case *js.BinaryExpr:
			if n.Op != js.EqToken || timerCall(n.Y) == "" {
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
