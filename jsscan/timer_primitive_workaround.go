package jsscan

import (
	"slices"

	"github.com/tdewolff/parse/v2/js"
)

// selfCleared recognises the workaround for nodejs/node#53335 around the
// conversion at node i of operand: the timer's callback (or a function it
// calls, or its finally block) calls clearTimeout on the timer or on the
// primitive id. A clear while the callback runs takes the id out of Node's
// map (queue's next(), `try { … } finally { clearTimeout(id) }`); a clear
// after the timer fired does not, on the affected versions.
func (p *Pass) selfCleared(i int, operand js.IExpr, t timeouts) bool {
	var h holders // where the timer or its id is kept
	h.addAssigned(p, i)
	var calls []int
	if c, ok := unparen(operand).(*js.CallExpr); ok {
		if j := p.find(i, c); j >= 0 {
			calls = append(calls, j)
		}
	} else {
		h.add(p, i, operand)
	}
	for j := range p.nodes {
		if c, ok := p.nodes[j].n.(*js.CallExpr); ok && t.call(c) && h.holdsValueOf(p, j) {
			calls = append(calls, j)
		}
	}
	for _, tc := range calls {
		c := p.nodes[tc].n.(*js.CallExpr)
		for _, b := range p.callbackBodies(tc, c) {
			if p.clearsAny(b, &h) {
				return true
			}
		}
	}
	return false
}

// holders are the variables (by declaration) and places (this.x) a timer
// or its primitive id is stored in.
type holders struct {
	vars   []*js.Var
	places []place
}

// add records e, found in the subtree of node i, if it is a variable or
// a property.
func (h *holders) add(p *Pass, i int, e js.IExpr) {
	switch x := unparen(e).(type) {
	case *js.Var:
		h.vars = append(h.vars, root(x))
	case *js.DotExpr:
		if j := p.find(i, x); j >= 0 {
			h.places = append(h.places, p.placeOf(j, p.keyOf(j)))
		}
	}
}

// addAssigned records where the value of node i is stored
// (const id = +setTimeout(…), this.id = …).
func (h *holders) addAssigned(p *Pass, i int) {
	par := int(p.nodes[i].parent)
	if par < 0 {
		return
	}
	switch n := p.nodes[par].n.(type) {
	case *js.BindingElement:
		if v, ok := n.Binding.(*js.Var); ok {
			h.vars = append(h.vars, root(v))
		}
	case *js.BinaryExpr:
		if n.Op == js.EqToken {
			h.add(p, par, n.X)
		}
	}
}

// holdsValueOf: the value of node i is stored in one of the holders.
func (h *holders) holdsValueOf(p *Pass, i int) bool {
	var at holders
	at.addAssigned(p, i)
	return slices.ContainsFunc(at.vars, h.hasVar) || slices.ContainsFunc(at.places, h.hasPlace)
}

func (h *holders) hasVar(v *js.Var) bool  { return slices.Contains(h.vars, v) }
func (h *holders) hasPlace(pl place) bool { return slices.Contains(h.places, pl) }
func (h *holders) empty() bool            { return len(h.vars) == 0 && len(h.places) == 0 }

// clearsAny: the function at fn calls clearTimeout/clearInterval on one of
// the holders (clearTimeout(id), clearTimeout(+id), clearTimeout(this.t)).
func (p *Pass) clearsAny(fn int, h *holders) bool {
	if h.empty() {
		return false
	}
	for j := fn; j < int(p.nodes[fn].end); j++ {
		c, ok := p.nodes[j].n.(*js.CallExpr)
		if !ok || len(c.Args.List) == 0 || timerFunc(c.X, "clearTimeout", "clearInterval") == "" {
			continue
		}
		arg := unparen(c.Args.List[0].Value)
		if u, ok := arg.(*js.UnaryExpr); ok && u.Op == js.PosToken {
			arg = unparen(u.X)
		}
		var cleared holders
		cleared.add(p, j, arg)
		if slices.ContainsFunc(cleared.vars, h.hasVar) || slices.ContainsFunc(cleared.places, h.hasPlace) {
			return true
		}
	}
	return false
}
