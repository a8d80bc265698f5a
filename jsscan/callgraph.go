package jsscan

import "github.com/tdewolff/parse/v2/js"

// A timer callback often releases (or re-arms) its timer in a method it
// calls, two or three calls down: this.close() → this.onclose(), a bound
// this.m, a private #m(), tsc's __privateMethod(this, _X, m_fn).call(this),
// a local helper f() or f.call(this). The call graph below follows those
// edges from a set of function bodies, within one file.

// maxReach bounds how many functions reachable follows from one callback:
// enough for the chains seen in real code, cheap on a bundle.
const maxReach = 24

// reachable returns bodies plus the functions they call, transitively,
// that the file defines: methods of the class (or object literal) cls
// called on this or a this-alias, private methods, functions called by
// name, through .call/.apply, or through tsc's private-method helper.
func (p *Pass) reachable(bodies []int, cls int) []int {
	seen := map[int]bool{}
	var out []int
	queue := append([]int(nil), bodies...)
	for len(queue) > 0 && len(out) < maxReach {
		b := queue[0]
		queue = queue[1:]
		if b < 0 || seen[b] {
			continue
		}
		seen[b] = true
		out = append(out, b)
		end := int(p.nodes[b].end)
		for j := b + 1; j < end; j++ {
			c, ok := p.nodes[j].n.(*js.CallExpr)
			if !ok {
				continue
			}
			for _, f := range p.callee(j, c, cls) {
				if !seen[f] {
					queue = append(queue, f)
				}
			}
		}
	}
	return out
}

// callee resolves the function a call at node j runs, when the file
// defines it.
func (p *Pass) callee(j int, c *js.CallExpr, cls int) []int {
	x := unparen(c.X)
	if d, ok := x.(*js.DotExpr); ok {
		switch memberName(d) {
		case "call", "apply": // f.call(this), this.m.call(this), __privateMethod(...).call(this)
			inner := unparen(d.X)
			if h, ok := inner.(*js.CallExpr); ok && calleeName(h.X) == "__privateMethod" && len(h.Args.List) == 3 {
				return p.funcOf(j, h.Args.List[2].Value, cls)
			}
			return p.funcOf(j, inner, cls)
		}
	}
	return p.funcOf(j, x, cls)
}

// memberName is the property of a.b or a.#b ("#b"), or "".
func memberName(d *js.DotExpr) string {
	switch y := d.Y.(type) {
	case js.LiteralExpr:
		return string(y.Data)
	case *js.LiteralExpr:
		return string(y.Data)
	case *js.Var:
		return string(y.Data)
	}
	return ""
}

// isSelf reports whether e is `this` or a name bound to it (self, _this).
func (p *Pass) isSelf(e js.IExpr) bool {
	if isThis(e) {
		return true
	}
	v, ok := unparen(e).(*js.Var)
	return ok && p.thisAliases()[string(v.Data)]
}

// memberFunc finds what this.name runs in class cls: a method (private
// ones included), a field initialised with a function, or a function
// assigned to this.name in the class.
func (p *Pass) memberFunc(cls int, name string) int {
	if cls < 0 || name == "" {
		return -1
	}
	for j := cls + 1; j < int(p.nodes[cls].end); j++ {
		switch n := p.nodes[j].n.(type) {
		case *js.MethodDecl:
			if elementName(n.Name) == name {
				return j
			}
		case *js.Field:
			if elementName(n.Name) == name && n.Init != nil && isFunc(unparen(n.Init)) {
				return p.find(j, unparen(n.Init))
			}
		case *js.BinaryExpr:
			if n.Op != js.EqToken || !isFunc(unparen(n.Y)) {
				continue
			}
			if d, ok := unparen(n.X).(*js.DotExpr); ok && isThis(d.X) && memberName(d) == name {
				return p.find(j, unparen(n.Y))
			}
		}
	}
	return -1
}

// protoFunc finds a function the file attaches to a prototype under name:
// X.prototype.name = function…, or name() in X.prototype = {…}. ES5
// constructors and compiled classes keep their methods there.
func (p *Pass) protoFunc(name string) int {
	if name == "" {
		return -1
	}
	for j := range p.nodes {
		switch n := p.nodes[j].n.(type) {
		case *js.BinaryExpr:
			if n.Op != js.EqToken || !isFunc(unparen(n.Y)) {
				continue
			}
			d, ok := unparen(n.X).(*js.DotExpr)
			if ok && memberName(d) == name && propName(d.X) == "prototype" {
				return p.find(j, unparen(n.Y))
			}
		case *js.MethodDecl:
			if elementName(n.Name) != name {
				continue
			}
			obj := int(p.nodes[j].parent)
			for obj >= 0 {
				if _, ok := p.nodes[obj].n.(*js.ObjectExpr); ok {
					break
				}
				obj = int(p.nodes[obj].parent)
			}
			if obj < 0 {
				continue
			}
			if b, ok := p.nodes[int(p.nodes[obj].parent)].n.(*js.BinaryExpr); ok && b.Op == js.EqToken && propName(b.X) == "prototype" {
				return j
			}
		}
	}
	return -1
}

// assignedFunc finds `name = function…` for a variable declared without
// one (var _X_done; … _X_done = function _X_done() {…}, as tsc emits
// private methods).
func (p *Pass) assignedFunc(r *js.Var) int {
	for j := range p.nodes {
		b, ok := p.nodes[j].n.(*js.BinaryExpr)
		if !ok || b.Op != js.EqToken || !isFunc(unparen(b.Y)) {
			continue
		}
		if v, ok := unparen(b.X).(*js.Var); ok && root(v) == r {
			return p.find(j, unparen(b.Y))
		}
	}
	return -1
}

func elementName(n js.ClassElementName) string {
	if n.Private != nil {
		return string(n.Private.Data)
	}
	if n.Computed != nil {
		return ""
	}
	return string(n.Literal.Data)
}
