package jsscan

import "github.com/tdewolff/parse/v2/js"

// timeouts recognises, for LEAK002, the calls that return a Node Timeout
// that fires once: the timers nodejs/node#53335 leaks after a primitive
// conversion. Besides the global setTimeout (bare, or through global,
// globalThis, window or timers) it accepts
//   - an alias of it: `const originalSetTimeout = globalThis.setTimeout`
//     (@deno/shim-timers) or `setTimeout.bind(globalThis)`;
//   - a method named setTimeout whose first argument is a function
//     literal: `timing.setTimeout(() => …, ms)` (@smithy/node-http-handler's
//     wrapper, imported from another file). Node's socket, request, server
//     and http2 setTimeout take the milliseconds first, so a function first
//     is the timers' signature.
//
// setInterval is not one: an interval is in Node's id map only while it
// runs, and clearInterval(id) removes the entry on every Node version.
type timeouts struct {
	aliases map[*js.Var]bool // names bound to the global setTimeout
}

// timeoutsOf finds the file's aliases of setTimeout.
func (p *Pass) timeoutsOf() timeouts {
	var t timeouts
	for i := range p.nodes {
		b, ok := p.nodes[i].n.(*js.BindingElement)
		if !ok || b.Default == nil || !isTimeoutFunc(b.Default) {
			continue
		}
		if v, ok := b.Binding.(*js.Var); ok {
			if t.aliases == nil {
				t.aliases = map[*js.Var]bool{}
			}
			t.aliases[root(v)] = true
		}
	}
	return t
}

// isTimeoutFunc: e is the global setTimeout itself, not a call of it
// (setTimeout, globalThis.setTimeout, setTimeout.bind(globalThis)).
func isTimeoutFunc(e js.IExpr) bool {
	if c, ok := unparen(e).(*js.CallExpr); ok && propName(c.X) == "bind" {
		e = unparen(c.X).(*js.DotExpr).X
	}
	return timerFunc(e, "setTimeout") != ""
}

// call reports whether e calls a one-shot timer.
func (t timeouts) call(e js.IExpr) bool {
	c, ok := unparen(e).(*js.CallExpr)
	if !ok {
		return false
	}
	if timerFunc(c.X, "setTimeout") != "" {
		return true
	}
	switch x := unparen(c.X).(type) {
	case *js.Var:
		return t.aliases[root(x)]
	case *js.DotExpr:
		return propName(x) == "setTimeout" && len(c.Args.List) > 0 && isFuncLiteral(c.Args.List[0].Value)
	}
	return false
}

func isFuncLiteral(e js.IExpr) bool {
	switch unparen(e).(type) {
	case *js.ArrowFunc, *js.FuncDecl:
		return true
	}
	return false
}
