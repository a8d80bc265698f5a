package jsscan

import (
	"strings"

	"github.com/tdewolff/parse/v2/js"
)

var intervalPerObjectRule = &Rule{
	Code: CodeIntervalPerObject,
	Name: "interval-per-object",
	Doc: "setInterval started by an object (in a constructor or method) with a callback that uses `this` keeps " +
		"the object alive for as long as the interval runs. Without a clearInterval on a close/destroy/stop " +
		"path every such object leaks. Store the handle (this._interval = setInterval(...)) and clear it when " +
		"the object is closed.",
	Run: runIntervalPerObject,
}

// closeNames are methods that end an object's life.
var closeNames = []string{"close", "destroy", "stop", "dispose", "shutdown", "disconnect", "end", "teardown"}

func runIntervalPerObject(p *Pass) {
	for i := range p.nodes {
		c, ok := p.nodes[i].n.(*js.CallExpr)
		if !ok || timerCall(c) != "setInterval" || len(c.Args.List) == 0 {
			continue
		}
		owner := p.thisFunc(i)
		if owner < 0 || !p.capturesThis(i, c.Args.List[0].Value) {
			continue
		}
		scope := p.classOf(i)
		if scope < 0 {
			scope = 0
		}
		st, stored := p.intervalStorage(i)
		if stored && (len(p.clearSites(scope, st, "clearInterval", "clearTimeout")) > 0 || p.clearedByName(st)) {
			continue
		}
		closer := -1
		if cls := p.classOf(i); cls >= 0 {
			for _, n := range closeNames {
				if closer = p.methodNamed(cls, n); closer >= 0 {
					break
				}
			}
		}
		at := p.spanOf(p.child(i, c.X))
		msg := "setInterval with a callback that holds `this` is never cleared: the interval keeps this object (and everything it references) alive forever"
		if stored && st.v != nil {
			msg = "interval handle " + st.key + " is never cleared"
		} else if stored {
			msg = "interval stored in " + st.key + " is never cleared: it keeps this object (and everything it references) alive forever"
		}
		var fixes []fix
		if closer >= 0 {
			if fx, ok := p.clearIntervalFix(i, closer, st, stored); ok {
				fixes = append(fixes, fx)
			}
			msg += "; clear it in " + p.methodName(closer) + "()"
		} else {
			msg += "; store the handle and clear it when the object is closed"
		}
		p.reportAt(at, msg, nil, fixes)
	}
}

// capturesThis reports whether the callback keeps `this` alive: an arrow
// using this, or anything bound with .bind(this).
func (p *Pass) capturesThis(call int, cb js.IExpr) bool {
	switch x := unparen(cb).(type) {
	case *js.ArrowFunc:
		a := p.find(call, x)
		found := false
		p.walkOwn(a, false, func(j int) {
			if isThis(asExpr(p.nodes[j].n)) {
				found = true
			}
		})
		return found
	case *js.CallExpr:
		return propName(x.X) == "bind" && len(x.Args.List) > 0 && isThis(x.Args.List[0].Value)
	case *js.DotExpr:
		return false // this.m unbound: `this` inside is the Timeout
	}
	return false
}

// intervalStorage returns the place an interval handle is stored in:
// this.x = setInterval(...) or a variable.
func (p *Pass) intervalStorage(i int) (storage, bool) {
	par := int(p.nodes[i].parent)
	for par >= 0 {
		if _, ok := p.nodes[par].n.(*js.GroupExpr); ok {
			par = int(p.nodes[par].parent)
			continue
		}
		// setInterval(...).unref() is the same handle
		gp := -1
		if par >= 0 {
			gp = int(p.nodes[par].parent)
		}
		if n := propName(asExpr(p.nodes[par].n)); gp >= 0 && (n == "unref" || n == "ref") {
			if _, ok := p.nodes[gp].n.(*js.CallExpr); ok {
				par = int(p.nodes[gp].parent)
				continue
			}
		}
		break
	}
	if par < 0 {
		return storage{}, false
	}
	switch n := p.nodes[par].n.(type) {
	case *js.BinaryExpr:
		if n.Op != js.EqToken {
			return storage{}, false
		}
		if v, ok := unparen(n.X).(*js.Var); ok {
			return storage{kind: "place", key: string(v.Data), v: root(v)}, true
		}
		return storage{kind: "place", key: p.keyOf(p.child(par, n.X))}, true
	case *js.BindingElement:
		if v, ok := n.Binding.(*js.Var); ok {
			return storage{kind: "place", key: string(v.Data), v: root(v)}, true
		}
	}
	return storage{}, false
}

func (p *Pass) methodName(m int) string {
	return string(p.nodes[m].n.(*js.MethodDecl).Name.Literal.Data)
}

// clearIntervalFix stores the handle on this (when it is not stored) and
// clears it at the top of the closing method.
func (p *Pass) clearIntervalFix(call, closer int, st storage, stored bool) (fix, bool) {
	key := st.key
	fx := fix{title: "Clear the interval in " + p.methodName(closer) + "()", preferred: true}
	if !stored {
		es := int(p.nodes[call].parent)
		for es >= 0 {
			if _, ok := p.nodes[es].n.(*js.ExprStmt); ok {
				break
			}
			if _, ok := p.nodes[es].n.(*js.DotExpr); !ok {
				if _, ok := p.nodes[es].n.(*js.CallExpr); !ok {
					return fix{}, false
				}
			}
			es = int(p.nodes[es].parent)
		}
		if es < 0 {
			return fix{}, false
		}
		key = "this._interval"
		cls := p.classOf(call)
		if cls >= 0 && strings.Contains(p.text(p.spanOf(cls)), "_interval") {
			key = "this._leakInterval"
		}
		s := p.start(call)
		fx.edits = append(fx.edits, edit{at: span{s, s}, text: key + " = "})
	} else if !strings.HasPrefix(key, "this.") || strings.ContainsAny(key, "[(") {
		return fix{}, false // a computed key names nothing the close path can see
	}
	t := p.firstBodyToken(closer, -1)
	if t < 0 {
		return fix{}, false
	}
	off := int(p.toks[t].off)
	fx.edits = append(fx.edits, edit{at: span{off, off}, text: "clearInterval(" + key + ");", stmt: true})
	return fx, true
}

// clearedByName finds clearInterval(x.name) anywhere in the file for a
// handle stored as this.name: the object is often reached through another
// name (self, a parameter) when it is closed.
func (p *Pass) clearedByName(st storage) bool {
	i := strings.LastIndexByte(st.key, '.')
	if st.v != nil || i < 0 {
		return false
	}
	name := st.key[i:]
	for j := range p.nodes {
		c, ok := p.nodes[j].n.(*js.CallExpr)
		if !ok || len(c.Args.List) == 0 || timerFunc(c.X, "clearInterval", "clearTimeout") == "" {
			continue
		}
		if strings.HasSuffix(p.keyOf(p.find(j, c.Args.List[0].Value)), name) {
			return true
		}
	}
	return false
}
