package jsscan

import (
	"bytes"
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
		if p.enclosing(i, isFunc) < 0 {
			continue // module level: one interval for the life of the program, on purpose
		}
		cb := c.Args.List[0].Value
		holdsThis := p.thisFunc(i) >= 0 && p.capturesThis(i, cb)
		local := ""
		if !holdsThis {
			if local = p.capturesLocal(i, cb); local == "" {
				continue // holds nothing but globals
			}
		}
		scope := p.classOf(i)
		if scope < 0 {
			scope = 0
		}
		st, stored := p.intervalStorage(i)
		if stored && (p.stops(scope, st) || p.clearedByName(st)) {
			continue
		}
		if holdsThis && p.classOf(i) < 0 && !p.constructorLike(p.thisFunc(i)) {
			// A function using `this` outside any class or constructor
			// here (agenda's start.js): the object's other methods, its
			// close path among them, live in other files.
			continue
		}
		if p.handedOff(i) {
			continue // returned, resolved or passed on: the receiver clears it
		}
		if local != "" {
			msg := "setInterval callback closes over " + local + ", local state of the function that starts it, and is never cleared: the interval keeps that state alive forever; keep the handle and clearInterval it when done"
			p.reportAt(p.spanOf(p.child(i, c.X)), msg, nil, nil)
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
		if strings.HasSuffix(p.keyOf(p.find(j, c.Args.List[0].Value)), name) && !p.restarts(j, st) {
			return true
		}
	}
	return false
}

// capturesLocal returns the name of a variable, declared in a function
// around the setInterval call, that the callback keeps alive: the
// callback itself when it is such a function (function Store() { function
// sweep() {…}; setInterval(sweep, ms) }), or a local an inline callback
// reads (a factory's closure state). "" when it holds only globals and
// module-level names.
func (p *Pass) capturesLocal(call int, cb js.IExpr) string {
	if v, ok := unparen(cb).(*js.Var); ok {
		if p.localDecl(root(v)) {
			return string(v.Data)
		}
		return ""
	}
	for _, f := range p.directCallback(call, p.nodes[call].n.(*js.CallExpr)) {
		if f < 0 {
			continue
		}
		end := int(p.nodes[f].end)
		for j := f; j < end; j++ {
			v, ok := p.nodes[j].n.(*js.Var)
			if !ok {
				continue
			}
			d := p.declOf(root(v))
			if d >= 0 && (d < f || d >= end) && p.localDecl(root(v)) {
				return string(v.Data)
			}
		}
	}
	return ""
}

// localDecl: the variable is declared inside a function (not at module
// level, not global).
func (p *Pass) localDecl(r *js.Var) bool {
	d := p.declOf(r)
	return d >= 0 && p.enclosing(d, isFunc) >= 0
}

// constructorLike reports whether the function at fn is an ES5
// constructor: a capitalised function name, or one whose prototype the
// file extends.
func (p *Pass) constructorLike(fn int) bool {
	if fn < 0 {
		return false
	}
	name := ""
	switch n := p.nodes[fn].n.(type) {
	case *js.FuncDecl:
		if n.Name != nil {
			name = string(n.Name.Data)
		}
	case *js.MethodDecl:
		return true
	}
	if name == "" {
		if b, ok := p.nodes[int(p.nodes[fn].parent)].n.(*js.BindingElement); ok {
			if v, ok := b.Binding.(*js.Var); ok {
				name = string(v.Data)
			}
		}
	}
	if name == "" {
		return false
	}
	if name[0] >= 'A' && name[0] <= 'Z' {
		return true
	}
	return bytes.Contains(p.src.buf, []byte(name+".prototype"))
}

// stops reports whether some clear of st in scope stops the interval for
// good: a clear directly followed by storing a new interval in the same
// place restarts it (bottleneck's Group.updateSettings) and does not
// count.
func (p *Pass) stops(scope int, st storage) bool {
	for _, cl := range p.clearSites(scope, st, "clearInterval", "clearTimeout") {
		if !p.restarts(cl, st) {
			return true
		}
	}
	return false
}

func (p *Pass) restarts(cl int, st storage) bool {
	stmt := int(p.nodes[cl].parent)
	if _, ok := p.nodes[stmt].n.(*js.ExprStmt); !ok {
		return false
	}
	block := int(p.nodes[stmt].parent)
	if block < 0 {
		return false
	}
	next := int(p.nodes[stmt].end)
	if next >= int(p.nodes[block].end) {
		return false
	}
	for j := next; j < int(p.nodes[next].end); j++ {
		if p.isRearm(j, st) {
			return true
		}
	}
	return false
}
