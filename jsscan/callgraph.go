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
// assigned to this.name in the class. The class is indexed once.
func (p *Pass) memberFunc(cls int, name string) int {
	if cls < 0 || name == "" {
		return -1
	}
	if p.memberFuncs == nil {
		p.memberFuncs = map[int]map[string]int{}
	}
	idx, ok := p.memberFuncs[cls]
	if !ok {
		idx = map[string]int{}
		add := func(n string, j int) {
			if _, seen := idx[n]; !seen && n != "" && j >= 0 {
				idx[n] = j
			}
		}
		for j := cls + 1; j < int(p.nodes[cls].end); j++ {
			switch n := p.nodes[j].n.(type) {
			case *js.MethodDecl:
				add(elementName(n.Name), j)
			case *js.Field:
				if n.Init != nil && isFunc(unparen(n.Init)) {
					add(elementName(n.Name), p.find(j, unparen(n.Init)))
				}
			case *js.BinaryExpr:
				if n.Op != js.EqToken || !isFunc(unparen(n.Y)) {
					continue
				}
				if d, ok := unparen(n.X).(*js.DotExpr); ok && isThis(d.X) {
					add(memberName(d), p.find(j, unparen(n.Y)))
				}
			}
		}
		p.memberFuncs[cls] = idx
	}
	if m, ok := idx[name]; ok {
		return m
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
	if p.protoFuncs == nil {
		p.indexFuncs()
	}
	if f, ok := p.protoFuncs[name]; ok {
		return f
	}
	return -1
}

// assignedFunc finds `name = function…` for a variable declared without
// one (var _X_done; … _X_done = function _X_done() {…}, as tsc emits
// private methods).
func (p *Pass) assignedFunc(r *js.Var) int {
	if p.assignedFuncs == nil {
		p.indexFuncs()
	}
	if f, ok := p.assignedFuncs[r]; ok {
		return f
	}
	return -1
}

// indexFuncs records, in one walk, the functions stored on prototypes and
// in variables by assignment.
func (p *Pass) indexFuncs() {
	p.protoFuncs, p.assignedFuncs = map[string]int{}, map[*js.Var]int{}
	for j := range p.nodes {
		switch n := p.nodes[j].n.(type) {
		case *js.BinaryExpr:
			if n.Op != js.EqToken || !isFunc(unparen(n.Y)) {
				continue
			}
			switch x := unparen(n.X).(type) {
			case *js.DotExpr:
				if name := memberName(x); propName(x.X) == "prototype" {
					if _, seen := p.protoFuncs[name]; !seen {
						p.protoFuncs[name] = p.find(j, unparen(n.Y))
					}
				}
			case *js.Var:
				if _, seen := p.assignedFuncs[root(x)]; !seen {
					p.assignedFuncs[root(x)] = p.find(j, unparen(n.Y))
				}
			}
		case *js.MethodDecl:
			name := elementName(n.Name)
			if _, seen := p.protoFuncs[name]; seen || name == "" {
				continue
			}
			if obj := p.enclosing(j, func(n js.INode) bool { _, ok := n.(*js.ObjectExpr); return ok }); obj >= 0 && obj == int(p.nodes[j].parent) || obj >= 0 && p.enclosing(j, isFunc) < obj {
				if par := int(p.nodes[obj].parent); par >= 0 {
					if b, ok := p.nodes[par].n.(*js.BinaryExpr); ok && b.Op == js.EqToken && propName(b.X) == "prototype" {
						p.protoFuncs[name] = j
					}
				}
			}
		}
	}
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
