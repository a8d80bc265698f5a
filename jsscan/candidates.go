package jsscan

import "github.com/tdewolff/parse/v2/js"

// hasCandidates is a quick look over the AST for anything a rule could
// report: a timer call or an alias of setTimeout, a downlevel-async helper call, or an awaited,
// yielded or returned call to a name that some function in the file has.
// Files without one skip position recovery (lexing, the source-order walk)
// and the rules, which is most files that merely use async/await.
func hasCandidates(ast *js.AST) bool {
	c := &candidates{called: map[string]bool{}, funcs: map[string]bool{}}
	js.Walk(c, ast)
	if c.found {
		return true
	}
	for name := range c.called {
		if c.funcs[name] {
			return true
		}
	}
	return false
}

type candidates struct {
	found  bool
	called map[string]bool // callee names of awaited/yielded/returned calls
	funcs  map[string]bool // names functions and methods are known by
}

func (c *candidates) Enter(n js.INode) js.IVisitor {
	if c.found {
		return nil
	}
	switch n := n.(type) {
	case *js.CallExpr:
		switch calleeName(n.X) {
		case "setTimeout", "setInterval", "__awaiter", "__async":
			c.found = true
		}
	case *js.UnaryExpr:
		if n.Op == js.AwaitToken {
			c.operand(n.X)
		}
	case *js.YieldExpr:
		c.operand(n.X)
	case *js.ReturnStmt:
		c.operand(n.Value)
		if a, ok := unparen(n.Value).(*js.ArrayExpr); ok && len(a.List) == 2 {
			c.operand(a.List[1].Value)
		}
	case *js.FuncDecl:
		if n.Name != nil {
			c.funcs[string(n.Name.Data)] = true
		}
	case *js.MethodDecl:
		c.funcs[elementName(n.Name)] = true
	case *js.Field:
		if isFunc(unparen(n.Init)) {
			c.funcs[elementName(n.Name)] = true
		}
	case *js.BindingElement:
		if v, ok := n.Binding.(*js.Var); ok && isFunc(unparen(n.Default)) {
			c.funcs[string(v.Data)] = true
		}
		if n.Default != nil && isTimeoutFunc(n.Default) { // const set = globalThis.setTimeout (LEAK002)
			c.found = true
		}
	case *js.BinaryExpr:
		if n.Op == js.EqToken && isFunc(unparen(n.Y)) {
			c.funcs[calleeName(n.X)] = true
		}
	}
	return c
}

func (c *candidates) Exit(js.INode) {}

func (c *candidates) operand(e js.IExpr) {
	if call, ok := unparen(e).(*js.CallExpr); ok {
		c.called[calleeName(selfCallee(call.X))] = true
	}
}

// calleeName is f for f(), m for x.m() and (0, x.m)().
func calleeName(e js.IExpr) string {
	e = unparen(e)
	if c, ok := e.(*js.CommaExpr); ok && len(c.List) > 0 {
		e = unparen(c.List[len(c.List)-1])
	}
	switch x := e.(type) {
	case *js.Var:
		return string(x.Data)
	case *js.DotExpr:
		return memberName(x)
	}
	return ""
}
