package jsscan

import (
	"slices"
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
		if what == "" || p.selfCleared(i) {
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

// selfCleared recognises the workaround for nodejs/node#53335 around the
// conversion at node i: the timer's callback (or a function it calls, or
// its finally block) calls clearTimeout on the timer or on the primitive
// id, which removes the id from Node's map when the timer fires (queue's
// next(), `try { … } finally { clearTimeout(id) }`).
func (p *Pass) selfCleared(i int) bool {
	var holders []*js.Var // names the timer or its id is kept in
	if v := p.assignedVar(i); v != nil {
		holders = append(holders, v)
	}
	calls := p.timerCallsOf(i)
	for _, j := range p.children(i) {
		if v, ok := p.nodes[j].n.(*js.Var); ok {
			holders = append(holders, root(v))
		}
	}
	for _, h := range holders {
		calls = append(calls, p.timerCallsInto(h)...)
	}
	for _, tc := range calls {
		c := p.nodes[tc].n.(*js.CallExpr)
		for _, b := range p.callbackBodies(tc, c) {
			if p.clearsAny(b, holders) {
				return true
			}
		}
	}
	return false
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

// timerCallsOf lists the timer calls inside the conversion at i
// (+setTimeout(…)).
func (p *Pass) timerCallsOf(i int) []int {
	var out []int
	for j := i; j < int(p.nodes[i].end); j++ {
		if c, ok := p.nodes[j].n.(*js.CallExpr); ok && timerCall(c) == "setTimeout" {
			out = append(out, j)
		}
	}
	return out
}

// timerCallsInto lists the setTimeout calls whose value is stored in v.
func (p *Pass) timerCallsInto(v *js.Var) []int {
	var out []int
	for j := range p.nodes {
		c, ok := p.nodes[j].n.(*js.CallExpr)
		if !ok || timerCall(c) != "setTimeout" {
			continue
		}
		if a := p.assignedVar(j); a == v {
			out = append(out, j)
		}
	}
	return out
}

// clearsAny: the function at fn calls clearTimeout/clearInterval on one of
// the holders.
func (p *Pass) clearsAny(fn int, holders []*js.Var) bool {
	for j := fn; j < int(p.nodes[fn].end); j++ {
		c, ok := p.nodes[j].n.(*js.CallExpr)
		if !ok || len(c.Args.List) == 0 || timerFunc(c.X, "clearTimeout", "clearInterval") == "" {
			continue
		}
		v, ok := unparen(c.Args.List[0].Value).(*js.Var)
		if ok && slices.Contains(holders, root(v)) {
			return true
		}
	}
	return false
}
