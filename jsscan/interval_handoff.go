package jsscan

import "github.com/tdewolff/parse/v2/js"

// An interval whose handle leaves the function that starts it belongs to
// whoever receives it: next's edge sandbox returns the id to the sandboxed
// code, which clears it with clearInterval(id); isotimer returns the id and
// clears it in clear(id); a scheduler passes the Timeout to its manager's
// add(). Its clear is on the receiver's side, often in another file, so
// LEAK005 does not report such an interval at the site that starts it.
// What follows is the handle's value within the file: through wrappers
// that keep it (parentheses, .unref(), [Symbol.toPrimitive](), unary +,
// Number()), local variables, object and array literals and the
// parameters of functions the file defines.

// maxHandoffDepth bounds how many variables and parameters the handle is
// followed through: the shapes seen in real code take two or three.
const maxHandoffDepth = 4

// handedOff reports whether the interval started by the call at node i is
// handed to an owner other than the function that starts it: returned
// (alone, converted to its id, or inside an object or array), resolved in
// a promise, passed to a function that keeps it, or stored in a place or
// collection that the file clears.
func (p *Pass) handedOff(i int) bool {
	return p.valueEscapes(i, 0, map[*js.Var]bool{})
}

// valueEscapes follows the value of node j (the handle, or something that
// carries it) up the tree to where it ends.
func (p *Pass) valueEscapes(j, depth int, seen map[*js.Var]bool) bool {
	for {
		par := int(p.nodes[j].parent)
		if par < 0 {
			return false
		}
		next, done, escapes := p.handleStep(j, par, depth, seen)
		if done {
			return escapes
		}
		j = next
	}
}

// handleStep looks at the parent par of node j, which carries the handle:
// either the handle goes on to next, or its fate is decided (done).
func (p *Pass) handleStep(j, par, depth int, seen map[*js.Var]bool) (next int, done, escapes bool) {
	switch n := p.nodes[par].n.(type) {
	case *js.GroupExpr, *js.Element, *js.ArrayExpr, *js.ObjectExpr:
		return par, false, false // an array or object literal carries it on
	case *js.Property:
		return par, p.child(par, n.Value) != j, false
	case *js.CondExpr:
		return par, p.child(par, n.Cond) == j, false
	case *js.UnaryExpr:
		return par, n.Op != js.PosToken, false // +t is the id
	case *js.DotExpr, *js.IndexExpr:
		if m := p.keptByMethod(j, par); m >= 0 {
			return m, false, false
		}
		return 0, true, false // t.hasRef(), t._idleTimeout: not the handle
	case *js.ReturnStmt:
		// Arrows' concise bodies are return statements too; a callback
		// returns to the call it is passed to.
		if cb := p.callbackCall(par); cb >= 0 {
			switch callee := p.calleeOf(cb); {
			case discardsReturn[calleeName(callee)] || isGlobal(callee, "Promise"):
				return 0, true, false // forEach, a timer, a listener, a promise executor
			case calleeName(callee) == "map" || calleeName(callee) == "flatMap":
				return cb, false, false // the array carries the handles
			}
		}
		return 0, true, true
	case *js.BinaryExpr:
		return 0, true, p.assignedEscapes(j, par, n, depth, seen)
	case *js.BindingElement:
		v, ok := n.Binding.(*js.Var)
		if !ok || p.child(par, n.Default) != j {
			return 0, true, false
		}
		return 0, true, p.varEscapes(root(v), depth, seen)
	case *js.Arg:
		call := int(p.nodes[int(p.nodes[par].parent)].parent)
		if conv := p.converts(call); conv {
			return call, false, false // Number(t) is the id
		}
		return 0, true, p.argEscapes(call, par, depth, seen)
	}
	return 0, true, false
}

// keptByMethod returns the call t.unref(), t.ref(), t.valueOf() or
// t[Symbol.toPrimitive]() when par is its callee on j: they return the
// handle or its id. -1 otherwise.
func (p *Pass) keptByMethod(j, par int) int {
	gp := int(p.nodes[par].parent)
	if gp < 0 {
		return -1
	}
	c, ok := p.nodes[gp].n.(*js.CallExpr)
	if !ok || p.child(gp, c.X) != par {
		return -1
	}
	switch n := p.nodes[par].n.(type) {
	case *js.DotExpr:
		if p.child(par, n.X) != j {
			return -1
		}
		switch memberName(n) {
		case "unref", "ref", "valueOf", "refresh":
			return gp
		}
	case *js.IndexExpr:
		if p.child(par, n.X) == j && propName(n.Y) == "toPrimitive" {
			return gp
		}
	}
	return -1
}

// converts reports whether the call at node c turns its argument into
// the id (Number(t), String(t)).
func (p *Pass) converts(c int) bool {
	call, ok := p.nodes[c].n.(*js.CallExpr)
	return ok && (isGlobal(call.X, "Number") || isGlobal(call.X, "String"))
}

// assignedEscapes follows `target = handle`: into a local variable, into
// a member of a local object (handle.timer = …; return handle), or into a
// place of this object, which the rule's own check then asks about.
func (p *Pass) assignedEscapes(j, par int, b *js.BinaryExpr, depth int, seen map[*js.Var]bool) bool {
	if b.Op != js.EqToken || p.child(par, b.Y) != j {
		return false
	}
	switch x := unparen(b.X).(type) {
	case *js.Var:
		return p.varEscapes(root(x), depth, seen)
	case *js.DotExpr, *js.IndexExpr:
		obj := placeRoot(x)
		if v, ok := obj.(*js.Var); ok && !p.isSelf(v) && p.localDecl(root(v)) {
			return p.varEscapes(root(v), depth, seen)
		}
		if !p.isSelf(obj) {
			return false
		}
		// const iv = setInterval(…); this._iv = iv (cacheable-lookup):
		// the clear is of this._iv.
		st := storage{kind: "place", key: p.keyOf(p.child(par, b.X))}
		scope := max(p.classOf(par), 0)
		return p.stops(scope, st) || p.clearedByName(st)
	}
	return false
}

// placeRoot is the object a member chain starts from (a in a.b[c].d).
func placeRoot(e js.IExpr) js.IExpr {
	for {
		switch x := unparen(e).(type) {
		case *js.DotExpr:
			e = x.X
		case *js.IndexExpr:
			e = x.X
		default:
			return x
		}
	}
}

// varEscapes follows every read of a variable holding the handle.
func (p *Pass) varEscapes(r *js.Var, depth int, seen map[*js.Var]bool) bool {
	if seen[r] || depth >= maxHandoffDepth {
		return depth >= maxHandoffDepth // too deep to follow: assume it is kept
	}
	seen[r] = true
	for _, u := range p.placeCandidates(storage{v: r}, "") {
		if p.isWrite(u) {
			continue
		}
		if p.valueEscapes(u, depth+1, seen) {
			return true
		}
	}
	return false
}

// isWrite reports whether the use of a variable at node u is its
// declaration or the target of an assignment.
func (p *Pass) isWrite(u int) bool {
	par := int(p.nodes[u].parent)
	if par < 0 {
		return true
	}
	switch n := p.nodes[par].n.(type) {
	case *js.BindingElement:
		return p.child(par, n.Binding) == u
	case *js.BinaryExpr:
		return n.Op == js.EqToken && p.child(par, n.X) == u
	case *js.FuncDecl, *js.ClassDecl, *js.Params, *js.BindingObject, *js.BindingArray:
		return true
	}
	return false
}

// discardsReturn names functions that ignore what their callback returns.
var discardsReturn = map[string]bool{"forEach": true, "setTimeout": true, "setInterval": true,
	"setImmediate": true, "nextTick": true, "on": true, "once": true, "addListener": true,
	"addEventListener": true, "prependListener": true}

// calleeOf is the function a call or new expression at node c runs.
func (p *Pass) calleeOf(c int) js.IExpr {
	switch n := p.nodes[c].n.(type) {
	case *js.CallExpr:
		return n.X
	case *js.NewExpr:
		return n.X
	}
	return nil
}

// callbackCall returns the call (or new) that the function returning at
// node ret is passed to (items.forEach(x => setInterval(…))), or -1.
func (p *Pass) callbackCall(ret int) int {
	f := p.enclosing(ret, isFunc)
	if f < 0 {
		return -1
	}
	arg := int(p.nodes[f].parent)
	if _, ok := p.nodes[arg].n.(*js.Arg); !ok {
		return -1
	}
	return int(p.nodes[int(p.nodes[arg].parent)].parent)
}

// argEscapes decides the fate of a handle passed as argument arg of the
// call (or new) at node call.
func (p *Pass) argEscapes(call, arg, depth int, seen map[*js.Var]bool) bool {
	c, ok := p.nodes[call].n.(*js.CallExpr)
	if !ok {
		return true // new Handle(t): the constructed object keeps it
	}
	switch {
	case timerFunc(c.X, "clearInterval", "clearTimeout") != "":
		return false // the rule's own check sees clears
	case p.isResolver(c.X):
		return true // resolve(t): the promise's consumer gets it
	case notKeeping(c.X):
		return false
	}
	if d, ok := unparen(c.X).(*js.DotExpr); ok && storingMethods[memberName(d)] {
		return p.storedIn(call, d.X, depth, seen)
	}
	for _, f := range p.funcOf(call, c.X, p.ownerOf(call)) {
		if v := p.param(f, p.argIndex(arg)); v != nil {
			return p.varEscapes(root(v), depth+1, seen)
		}
		return true // a rest or destructured parameter: not followed
	}
	return true // a function defined elsewhere (a manager's add()) keeps it
}

// storingMethods put their argument into the collection they are called on.
var storingMethods = map[string]bool{"push": true, "unshift": true, "add": true, "set": true, "splice": true}

// storedIn decides the fate of a handle put into the collection coll
// by the call at node call:
// a collection of this object or of a local variable keeps it until the
// file clears its members (or the local collection is handed off); any
// other collection (a parameter's, an imported registry) is another
// owner's.
func (p *Pass) storedIn(call int, coll js.IExpr, depth int, seen map[*js.Var]bool) bool {
	name := ""
	switch x := unparen(coll).(type) {
	case *js.DotExpr:
		name = memberName(x)
	case *js.Var:
		name = string(x.Data)
	}
	obj := placeRoot(coll)
	if p.isSelf(obj) {
		return p.membersCleared(max(p.classOf(call), 0), name)
	}
	v, ok := obj.(*js.Var)
	if !ok {
		return true
	}
	r := root(v)
	if r.Decl == js.NoDecl || r.Decl == js.ArgumentDecl || p.declOf(r) < 0 {
		return true // a parameter's or a global registry: the caller's
	}
	return p.membersCleared(0, name) || p.localDecl(r) && p.varEscapes(r, depth, seen)
}

// notKeeping reports callees that only look at their arguments.
func notKeeping(callee js.IExpr) bool {
	if d, ok := unparen(callee).(*js.DotExpr); ok {
		callee = placeRoot(d)
	}
	for _, g := range []string{"console", "JSON", "assert", "Boolean", "isNaN"} {
		if isGlobal(callee, g) {
			return true
		}
	}
	return false
}

// isResolver reports whether callee is the resolve parameter of a
// promise executor: new Promise((resolve) => …).
func (p *Pass) isResolver(callee js.IExpr) bool {
	v, ok := unparen(callee).(*js.Var)
	if !ok {
		return false
	}
	d := p.declOf(root(v))
	if d < 0 {
		return false
	}
	be := int(p.nodes[d].parent)
	params := int(p.nodes[be].parent)
	if _, ok := p.nodes[params].n.(*js.Params); !ok || p.children(params)[0] != be {
		return false
	}
	arg := int(p.nodes[int(p.nodes[params].parent)].parent)
	if _, ok := p.nodes[arg].n.(*js.Arg); !ok {
		return false
	}
	nw, ok := p.nodes[int(p.nodes[int(p.nodes[arg].parent)].parent)].n.(*js.NewExpr)
	return ok && isGlobal(nw.X, "Promise")
}

// argIndex is the position of the argument node arg in its call.
func (p *Pass) argIndex(arg int) int {
	for k, a := range p.children(int(p.nodes[arg].parent)) {
		if a == arg {
			return k
		}
	}
	return -1
}

// param returns the k-th parameter of the function at node f when it is a
// plain name, else nil.
func (p *Pass) param(f, k int) *js.Var {
	var ps *js.Params
	switch n := p.nodes[f].n.(type) {
	case *js.FuncDecl:
		ps = &n.Params
	case *js.ArrowFunc:
		ps = &n.Params
	case *js.MethodDecl:
		ps = &n.Params
	}
	if ps == nil || k < 0 || k >= len(ps.List) {
		return nil
	}
	v, _ := ps.List[k].Binding.(*js.Var)
	return v
}

// membersCleared reports whether the subtree scope (a class, or the
// file: 0) clears the members of a collection named name: clearInterval(this.timers[k]),
// this.timers.forEach(clearInterval), for (const t of this.timers)
// clearInterval(t), Object.values(timers).forEach((t) => clearInterval(t)).
func (p *Pass) membersCleared(scope int, name string) bool {
	if name == "" {
		return false
	}
	for j := scope; j < int(p.nodes[scope].end); j++ {
		if !p.isClearRef(j) {
			continue
		}
		for a, up := j, 0; a >= 0 && up < 8; a, up = int(p.nodes[a].parent), up+1 {
			if p.loopsOver(a, name) {
				return true
			}
			if _, ok := p.nodes[a].n.(*js.MethodDecl); ok {
				break
			}
			if _, ok := p.nodes[a].n.(*js.FuncDecl); ok {
				break
			}
		}
	}
	return false
}

// isClearRef: node j names clearInterval or clearTimeout (called or
// passed as a function).
func (p *Pass) isClearRef(j int) bool {
	switch n := p.nodes[j].n.(type) {
	case *js.Var:
		return timerFunc(n, "clearInterval", "clearTimeout") != ""
	case *js.DotExpr:
		return timerFunc(n, "clearInterval", "clearTimeout") != ""
	}
	return false
}

// loopsOver reports whether node a goes over the collection name: a call
// on it or with it (forEach, clearInterval(this.timers[k])), or a loop
// whose header reads it.
func (p *Pass) loopsOver(a int, name string) bool {
	var head js.INode
	switch n := p.nodes[a].n.(type) {
	case *js.CallExpr:
		if timerFunc(n.X, "clearInterval", "clearTimeout") != "" {
			head = &n.Args
		} else {
			head = n.X
		}
	case *js.ForOfStmt:
		head = n.Value
	case *js.ForInStmt:
		head = n.Value
	case *js.ForStmt:
		head = n.Cond
	case *js.WhileStmt:
		head = n.Cond
	}
	h := p.find(a, head)
	return h >= 0 && p.namesIn(h, name)
}

// namesIn reports whether subtree i names name (a variable or member).
func (p *Pass) namesIn(i int, name string) bool {
	for j := i; j < int(p.nodes[i].end); j++ {
		switch n := p.nodes[j].n.(type) {
		case *js.Var:
			if string(n.Data) == name {
				return true
			}
		case *js.DotExpr:
			if memberName(n) == name {
				return true
			}
		}
	}
	return false
}
