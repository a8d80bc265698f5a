package jsscan

import (
	"regexp"
	"strings"

	"github.com/tdewolff/parse/v2/js"
)

var recursiveAwaitRule = &Rule{
	Code: CodeRecursiveAwait,
	Name: "recursive-await",
	Doc: "An async function that awaits (or returns) a call to itself, or a generator that yields one, never " +
		"lets an activation finish while the recursion goes on: every level keeps its suspended frame, its " +
		"promise and everything they reference. This includes TypeScript/esbuild output where the body is a " +
		"generator passed to __awaiter/__async. Write the loop as a loop (while (true) { ... await ... }).",
	Run: runRecursiveAwait,
}

// fnInfo describes a function as the target of a self call.
type fnInfo struct {
	idx     int
	async   bool // async function, or lowered through __awaiter/__async
	gen     bool // generator (co style)
	lowered bool
	self    *js.Var // the name it is called by, if any
	bound   *js.Var // the variable a named function expression is assigned to (_X_poll = function _X_poll …)
	method  string  // method name (class or object literal)
	class   *js.Var // the class of a class method
	classAt int     // the class declaration node of a class method, -1 if none
	params  map[*js.Var]bool
}

func runRecursiveAwait(p *Pass) {
	infos := map[int]*fnInfo{}
	for i := range p.nodes {
		var x js.IExpr
		kind := ""
		switch n := p.nodes[i].n.(type) {
		case *js.UnaryExpr:
			if n.Op == js.AwaitToken {
				x, kind = n.X, "await"
			}
		case *js.YieldExpr:
			// yield* f() delegates: the usual recursive traversal of a
			// tree; the callee finishes when its data does.
			if !n.Generator {
				x, kind = n.X, "yield"
			}
		case *js.ReturnStmt:
			x, kind = n.Value, "return"
			if a, ok := unparen(n.Value).(*js.ArrayExpr); ok && isYieldInstr(a) { // tsc es5: return [4 /*yield*/, x]
				x, kind = a.List[1].Value, "yield"
			}
		}
		c, ok := unparen(x).(*js.CallExpr)
		if !ok {
			continue
		}
		fi := p.effectiveFunc(i, infos)
		if fi == nil {
			continue
		}
		switch kind {
		case "await", "return":
			if !fi.async {
				continue
			}
		case "yield":
			if !fi.gen && !fi.lowered {
				continue
			}
		}
		call := p.find(i, c)
		if call < 0 {
			continue
		}
		if p.isSelfCall(fi, call, c) {
			if !p.bounded(fi, call, c) {
				reportRecursion(p, fi, i, call, c, kind)
			}
		} else if back := p.callsBack(fi, call, c); back >= 0 && !p.newArgs(fi, c) &&
			!p.newArgs(fi, p.nodes[back].n.(*js.CallExpr)) && !p.immediateRetry(fi, call) {
			// Two calls deep the "wait until" condition (if (count >
			// this.content)) does not bound the chain: only new data does.
			reportIndirect(p, fi, call, c, kind, back)
		}
	}
}

func isYieldInstr(a *js.ArrayExpr) bool {
	if len(a.List) != 2 {
		return false
	}
	l, ok := a.List[0].Value.(*js.LiteralExpr)
	return ok && string(l.Data) == "4"
}

func reportRecursion(p *Pass, fi *fnInfo, stmt, call int, c *js.CallExpr, kind string) {
	callee := p.child(call, c.X)
	at := span{p.start(callee), p.last(callee)}
	name := p.text(at)
	verb := map[string]string{"await": "awaits", "yield": "yields", "return": "returns"}[kind]
	what := "async function"
	if fi.gen && !fi.async {
		what = "generator"
	}
	if fi.lowered {
		what = "async function (compiled to a generator)"
	}
	msg := "recursive " + kind + ": this " + what + " " + verb + " a call to itself (" + name + "), so no activation finishes and the chain of suspended frames and promises grows without bound; use a loop"
	var rel []related
	if r := p.funcHead(fi.idx); r.start >= 0 {
		rel = append(rel, related{at: r, msg: "the recursive function"})
	}
	var fixes []fix
	if fx, ok := p.loopFix(fi, stmt, call, c, kind); ok {
		fixes = append(fixes, fx)
	}
	p.reportOwned(at, msg, rel, fixes, p.ownerOfFunc(fi))
}

// ownerOfFunc is the class of a class method, nil for anything else.
func (p *Pass) ownerOfFunc(fi *fnInfo) *owner {
	if fi.classAt < 0 || fi.class == nil {
		return nil
	}
	return &owner{name: string(fi.class.Data), at: span{p.start(fi.classAt), p.last(fi.classAt)}}
}

// effectiveFunc returns the function whose body node i is in, seeing
// through compiler helpers: a function passed to __awaiter, __async or
// __generator is the body of the function that calls the helper.
func (p *Pass) effectiveFunc(i int, infos map[int]*fnInfo) *fnInfo {
	g := p.enclosing(i, isFunc)
	lowered := false
	for g >= 0 && p.helperArg(g) != "" {
		lowered = true
		g = p.enclosing(g, isFunc)
	}
	if g < 0 {
		return nil
	}
	key := 2 * g // a function is seen both directly and through its helper
	if lowered {
		key++
	}
	if fi, ok := infos[key]; ok {
		return fi
	}
	fi := p.describeFunc(g, lowered)
	infos[key] = fi
	return fi
}

// helperArg returns the helper's name when function node g is an argument
// of a call to a downlevel-async helper.
func (p *Pass) helperArg(g int) string {
	arg := int(p.nodes[g].parent)
	if arg < 0 {
		return ""
	}
	if _, ok := p.nodes[arg].n.(*js.Arg); !ok {
		return ""
	}
	call := int(p.nodes[int(p.nodes[arg].parent)].parent)
	if call < 0 {
		return ""
	}
	c, ok := p.nodes[call].n.(*js.CallExpr)
	if !ok {
		return ""
	}
	return helperName(c.X)
}

func helperName(callee js.IExpr) string {
	name := propBytes(callee)
	if v, ok := unparen(callee).(*js.Var); ok {
		name = v.Data
	}
	switch string(name) {
	case "__awaiter":
		return "__awaiter"
	case "__async":
		return "__async"
	case "__generator":
		return "__generator"
	}
	return ""
}

func (p *Pass) describeFunc(g int, lowered bool) *fnInfo {
	fi := &fnInfo{idx: g, lowered: lowered, async: lowered, params: map[*js.Var]bool{}, classAt: -1}
	var params *js.Params
	switch n := p.nodes[g].n.(type) {
	case *js.FuncDecl:
		fi.async = fi.async || n.Async
		fi.gen = n.Generator
		params = &n.Params
		if n.Name != nil {
			fi.self = root(n.Name)
		}
	case *js.ArrowFunc:
		fi.async = fi.async || n.Async
		params = &n.Params
		// A class field `poll = async () => { … await this.poll() }` is a
		// method whose `this` is the instance.
		if par := int(p.nodes[g].parent); par >= 0 {
			if f, ok := p.nodes[par].n.(*js.Field); ok && f.Name.Private == nil && f.Name.Computed == nil {
				fi.method = string(f.Name.Literal.Data)
				if cls := p.classOf(g); cls >= 0 {
					fi.class, fi.classAt = p.className(cls), cls
				}
			}
		}
	case *js.MethodDecl:
		fi.async = fi.async || n.Async
		fi.gen = n.Generator
		params = &n.Params
		fi.method = elementName(n.Name)
		if cls := p.classOf(g); cls >= 0 && p.enclosing(g, isFunc) < cls {
			fi.class, fi.classAt = p.className(cls), cls
		}
	}
	fi.bound = p.assignedVar(g)
	if fi.self == nil {
		fi.self = fi.bound
	}
	if fi.method == "" {
		fi.method, fi.class = p.prototypeMethod(g)
	}
	if pi := p.find(g, params); pi >= 0 {
		for j := pi; j < int(p.nodes[pi].end); j++ {
			if v, ok := p.nodes[j].n.(*js.Var); ok {
				fi.params[root(v)] = true
			}
		}
	}
	return fi
}

// prototypeMethod recognises C.prototype.m = function () {...}, the ES5
// form of a class method (tsc --target es5).
func (p *Pass) prototypeMethod(g int) (string, *js.Var) {
	par := int(p.nodes[g].parent)
	if par < 0 {
		return "", nil
	}
	b, ok := p.nodes[par].n.(*js.BinaryExpr)
	if !ok || b.Op != js.EqToken {
		return "", nil
	}
	m, ok := unparen(b.X).(*js.DotExpr)
	if !ok {
		return "", nil
	}
	proto, ok := unparen(m.X).(*js.DotExpr)
	if !ok || propName(proto) != "prototype" {
		return "", nil
	}
	cls, ok := unparen(proto.X).(*js.Var)
	if !ok {
		return "", nil
	}
	return propName(m), root(cls)
}

// className is the name of a class declaration or of the variable a class
// expression is bound to.
func (p *Pass) className(cls int) *js.Var {
	if c := p.nodes[cls].n.(*js.ClassDecl); c.Name != nil {
		return root(c.Name)
	}
	return p.assignedVar(cls)
}

// isSelfCall: f() for the function's own name, this.m() or this.#m() in
// method m, x.m() where x is a new instance of the method's class, and the
// same through f.call(this, …), f.apply(…) and tsc's
// __privateMethod(this, _X, m_fn).call(this).
func (p *Pass) isSelfCall(fi *fnInfo, call int, c *js.CallExpr) bool {
	return p.isSelfCallee(fi, selfCallee(c.X))
}

// selfCallee unwraps f.call / f.apply / __privateMethod(…, f).call to f.
func selfCallee(e js.IExpr) js.IExpr {
	d, ok := unparen(e).(*js.DotExpr)
	if !ok {
		return e
	}
	if n := memberName(d); n != "call" && n != "apply" {
		return e
	}
	inner := unparen(d.X)
	if h, ok := inner.(*js.CallExpr); ok && calleeName(h.X) == "__privateMethod" && len(h.Args.List) == 3 {
		return h.Args.List[2].Value
	}
	return inner
}

func (p *Pass) isSelfCallee(fi *fnInfo, e js.IExpr) bool {
	switch x := unparen(e).(type) {
	case *js.Var:
		r := root(x)
		return fi.self != nil && r == fi.self || fi.bound != nil && r == fi.bound
	case *js.DotExpr:
		if fi.method == "" || memberName(x) != fi.method {
			return false
		}
		if p.isSelf(x.X) {
			return true
		}
		return fi.class != nil && p.isInstanceOf(unparen(x.X), fi.class)
	}
	return false
}

// callsBack finds recursion two calls deep: the awaited (or returned)
// call at node call runs a function of the file, async like fi, that
// itself awaits or returns a call to fi (limiter's removeTokens →
// comeBackLater → removeTokens). It returns that inner call's node, or -1.
func (p *Pass) callsBack(fi *fnInfo, call int, c *js.CallExpr) int {
	targets := p.funcOf(call, selfCallee(c.X), p.ownerOf(call))
	for _, b := range targets {
		if b < 0 || b == fi.idx || !p.isAsyncFunc(b) {
			continue
		}
		if b > fi.idx {
			continue // reported once, at the call that closes the cycle (in the later, usually nested, function)
		}
		found := -1
		p.ownNodes(b, func(j int) {
			if found >= 0 {
				return
			}
			var x js.IExpr
			switch n := p.nodes[j].n.(type) {
			case *js.UnaryExpr:
				if n.Op == js.AwaitToken {
					x = n.X
				}
			case *js.ReturnStmt:
				x = n.Value
			}
			if inner, ok := unparen(x).(*js.CallExpr); ok && p.isSelfCallee(fi, selfCallee(inner.X)) {
				found = p.find(j, inner)
			}
		})
		if found >= 0 {
			return found
		}
	}
	return -1
}

func (p *Pass) isAsyncFunc(g int) bool {
	switch n := p.nodes[g].n.(type) {
	case *js.FuncDecl:
		return n.Async
	case *js.ArrowFunc:
		return n.Async
	case *js.MethodDecl:
		return n.Async
	}
	return false
}

// reportIndirect reports recursion through one intermediate function, at
// the outer call, with the call back as related information. No fix: the
// loop has to be written across both functions.
func reportIndirect(p *Pass, fi *fnInfo, call int, c *js.CallExpr, kind string, back int) {
	callee := p.child(call, c.X)
	at := span{p.start(callee), p.last(callee)}
	name := p.text(at)
	verb := map[string]string{"await": "awaits", "yield": "yields", "return": "returns"}[kind]
	backCallee := p.child(back, p.nodes[back].n.(*js.CallExpr).X)
	msg := "recursive " + kind + " two calls deep: this async function " + verb + " " + name + "(), which calls back into it (" +
		p.text(span{p.start(backCallee), p.last(backCallee)}) + "), so no activation finishes and the chain of suspended frames and promises grows without bound; use a loop"
	rel := []related{{at: p.spanOf(backCallee), msg: "the call back"}}
	if r := p.funcHead(fi.idx); r.start >= 0 {
		rel = append(rel, related{at: r, msg: "the recursive function"})
	}
	p.reportOwned(at, msg, rel, nil, p.ownerOfFunc(fi))
}

func (p *Pass) isInstanceOf(e js.IExpr, cls *js.Var) bool {
	switch x := e.(type) {
	case *js.NewExpr:
		v, ok := unparen(x.X).(*js.Var)
		return ok && root(v) == cls
	case *js.Var:
		r := root(x)
		if r == cls {
			return true // static method through the class
		}
		if r.Decl == js.NoDecl {
			return false
		}
		// const x = new C(...), or x = new C(...) (hoisted var in ES5 output)
		for j := range p.nodes {
			var val js.IExpr
			switch n := p.nodes[j].n.(type) {
			case *js.BindingElement:
				if v, ok := n.Binding.(*js.Var); ok && root(v) == r {
					val = n.Default
				}
			case *js.BinaryExpr:
				if v, ok := unparen(n.X).(*js.Var); ok && n.Op == js.EqToken && root(v) == r {
					val = n.Y
				}
			}
			if ne, ok := unparen(val).(*js.NewExpr); ok && val != nil {
				return p.isInstanceOf(ne, cls)
			}
		}
	}
	return false
}

// ownNodes calls fn for the nodes of function fi's body, including helper
// generators and excluding other nested functions.
func (p *Pass) ownNodes(g int, fn func(j int)) {
	end := int(p.nodes[g].end)
	for j := g + 1; j < end; {
		if isFunc(p.nodes[j].n) && p.helperArg(j) == "" {
			j = int(p.nodes[j].end)
			continue
		}
		fn(j)
		j++
	}
}

// bounded recognises recursion that ends. A loop written as recursion
// passes nothing new: no arguments, its own parameters unchanged,
// constants or this.state. Anything else (a local computed in the body,
// n - 1, node.left, a call) means the recursion walks data or counts. So
// does a comparison on a parameter or on a counter the function updates
// (tries++ ... if (tries > 5), this.retries += 1 ... this.retries < max).
func (p *Pass) bounded(fi *fnInfo, call int, c *js.CallExpr) bool {
	if p.immediateRetry(fi, call) || p.newArgs(fi, c) {
		return true
	}
	return p.countsDown(fi)
}

// newArgs reports whether the call passes new data: anything but
// constants, this.state, the function's own parameters or globals.
func (p *Pass) newArgs(fi *fnInfo, c *js.CallExpr) bool {
	for _, a := range c.Args.List {
		switch x := unparen(a.Value).(type) {
		case js.LiteralExpr, *js.LiteralExpr:
			continue
		case *js.DotExpr:
			if isThis(x.X) {
				continue
			}
			return true
		case *js.Var:
			r := root(x)
			if fi.params[r] || r.Decl == js.NoDecl {
				continue
			}
			if d := p.declOf(r); d > fi.idx && d < int(p.nodes[fi.idx].end) {
				return true // a local: the recursion works on new data
			}
			continue
		case *js.UnaryExpr:
			if x.Op == js.VoidToken {
				continue
			}
			return true
		default:
			return true
		}
	}
	return false
}

// countsDown: a comparison on a parameter or on a counter the function
// updates (tries++ ... if (tries > 5)) bounds the recursion.
func (p *Pass) countsDown(fi *fnInfo) bool {
	counters := map[string]bool{}
	counter := func(j int, e js.IExpr) {
		switch x := unparen(e).(type) {
		case *js.Var:
			counters[string(x.Data)] = true
		case *js.DotExpr:
			if isThis(x.X) {
				counters[p.keyOf(p.find(j, x))] = true
			}
		}
	}
	p.ownNodes(fi.idx, func(j int) {
		switch n := p.nodes[j].n.(type) {
		case *js.UnaryExpr:
			switch n.Op {
			case js.PreIncrToken, js.PreDecrToken, js.PostIncrToken, js.PostDecrToken:
				counter(j, n.X)
			}
		case *js.BinaryExpr:
			if n.Op == js.AddEqToken || n.Op == js.SubEqToken {
				counter(j, n.X)
			}
		}
	})
	found := false
	p.ownNodes(fi.idx, func(j int) {
		n, ok := p.nodes[j].n.(*js.BinaryExpr)
		if found || !ok {
			return
		}
		switch n.Op {
		case js.LtToken, js.GtToken, js.LtEqToken, js.GtEqToken:
		default:
			return
		}
		for k := j; k < int(p.nodes[j].end); k++ {
			switch x := p.nodes[k].n.(type) {
			case *js.Var:
				found = found || fi.params[root(x)] || counters[string(x.Data)]
			case *js.DotExpr:
				found = found || isThis(x.X) && counters[p.keyOf(k)]
			}
		}
	})
	return found
}

// immediateRetry recognises a self call in a catch block with no wait
// before it in that block: a retry that the error bounds (the next attempt
// succeeds, or fails the same way at once, which spins rather than leaks;
// mongodb's re-authentication, make-dir's retry once the parent exists).
// A retry after a delay (await sleep(…), a timer promise) is a poll loop
// that can run for the life of the process, and stays a finding.
func (p *Pass) immediateRetry(fi *fnInfo, call int) bool {
	catch := p.catchBlock(call, fi.idx)
	if catch < 0 {
		return false
	}
	for j := catch; j < call; j++ {
		if u, ok := p.nodes[j].n.(*js.UnaryExpr); ok && u.Op == js.AwaitToken && p.isDelay(j, u.X) {
			return false
		}
	}
	return true
}

// catchBlock returns the catch block holding node i, looking no further
// out than node fn, or -1.
func (p *Pass) catchBlock(i, fn int) int {
	for j := int(p.nodes[i].parent); j > fn; j = int(p.nodes[j].parent) {
		b, ok := p.nodes[j].n.(*js.BlockStmt)
		if !ok || p.nodes[j].parent < 0 {
			continue
		}
		if t, ok := p.nodes[p.nodes[j].parent].n.(*js.TryStmt); ok && t.Catch == b {
			return j
		}
	}
	return -1
}

// delayName matches the names of helpers that wait: sleep(ms), delay(),
// wait(), backoff(), timers/promises' setTimeout.
var delayName = regexp.MustCompile(`(?i)sleep|delay|wait|backoff|timeout`)

// isDelay reports whether the awaited expression x (node j's operand)
// waits for time to pass: a call to a delay helper, or a promise whose
// executor starts a timer.
func (p *Pass) isDelay(j int, x js.IExpr) bool {
	switch e := unparen(x).(type) {
	case *js.CallExpr:
		callee := unparen(e.X)
		name := ""
		switch c := callee.(type) {
		case *js.Var:
			name = string(c.Data)
		case *js.DotExpr:
			name = propName(c)
		}
		return delayName.MatchString(name)
	case *js.NewExpr:
		delay := false
		k := p.find(j, e)
		for i := k; k >= 0 && i < int(p.nodes[k].end); i++ {
			if c, ok := p.nodes[i].n.(*js.CallExpr); ok && timerFunc(c.X, "setTimeout", "setImmediate", "setInterval") != "" {
				delay = true
			}
		}
		return delay
	}
	return false
}

// funcHead is the parameter list of function g, where V8 puts a function's
// position (heap findings for the same function use it too).
func (p *Pass) funcHead(g int) span {
	t := -1
	switch n := p.nodes[g].n.(type) {
	case *js.FuncDecl:
		if n.Name != nil {
			t = p.token(p.start(p.child(g, n.Name)))
		}
	case *js.MethodDecl:
		t = p.token(p.start(g))
	}
	if par := int(p.nodes[g].parent); t < 0 && par >= 0 {
		// an anonymous function bound to a name: f = ..., C.prototype.m = ...
		switch n := p.nodes[par].n.(type) {
		case *js.BinaryExpr:
			t = p.token(p.lastStart(p.child(par, n.X)))
		case *js.BindingElement:
			t = p.token(p.lastStart(p.child(par, n.Binding)))
		}
	}
	if t < 0 {
		return span{p.start(g), p.start(g)}
	}
	for k := t; k < len(p.toks) && k < t+5; k++ {
		if p.toks[k].tt == js.OpenParenToken && p.toks[k].match >= 0 {
			return span{int(p.toks[k].off), int(p.toks[p.toks[k].match].end)}
		}
	}
	return span{int(p.toks[t].off), int(p.toks[t].end)}
}

// loopFix rewrites `async function f() { ...; await f(); }` (no
// parameters, the self call the last statement) as a while loop.
func (p *Pass) loopFix(fi *fnInfo, stmt, call int, c *js.CallExpr, kind string) (fix, bool) {
	if fi.lowered || len(fi.params) > 0 || kind == "return" {
		return fix{}, false
	}
	if _, ok := unparen(c.X).(*js.Var); !ok && !isThis(unparen(c.X).(*js.DotExpr).X) {
		return fix{}, false
	}
	es := int(p.nodes[stmt].parent)
	if _, ok := p.nodes[es].n.(*js.ExprStmt); !ok {
		return fix{}, false
	}
	body := int(p.nodes[es].parent)
	if int(p.nodes[body].parent) != fi.idx || p.lastChild(body) != es {
		return fix{}, false
	}
	kw := p.token(p.start(call)) - 1
	open := p.callOpen(call)
	if kw < 0 || open < 0 || p.toks[open].match < 0 {
		return fix{}, false
	}
	if tt := p.toks[kw].tt; tt != js.AwaitToken && tt != js.YieldToken {
		return fix{}, false
	}
	end := int(p.toks[open].match)
	if end+1 < len(p.toks) && p.toks[end+1].tt == js.SemicolonToken {
		end++
	}
	if end+1 >= len(p.toks) || p.toks[end+1].tt != js.CloseBraceToken {
		return fix{}, false
	}
	closeT := end + 1
	openT := int(p.toks[closeT].match)
	if openT < 0 {
		return fix{}, false
	}
	return fix{
		title: "Rewrite the recursion as a loop",
		at:    []int{int(p.toks[openT].off), int(p.toks[kw].off), int(p.toks[end].off), int(p.toks[closeT].off)},
		build: buildLoop,
	}, true
}

// buildLoop renders the loop rewrite against the original text: at holds
// the body '{', the tail statement's await/yield, its last token, and '}'.
func buildLoop(src []byte, at []int) []Edit {
	open, kw, last, closeB := at[0], at[1], at[2], at[3]
	// Mapped from TypeScript, a token esbuild added (the tail call's ';')
	// can land anywhere on its line: no rewrite unless the order holds.
	if !(open < kw && kw < last && last < closeB && closeB <= len(src)) {
		return nil
	}
	// A comment after the tail call moves to the loop's closing line.
	trailing := strings.TrimSpace(string(src[last+1 : closeB]))
	if trailing != "" && !strings.HasPrefix(trailing, "//") && !strings.HasPrefix(trailing, "/*") {
		return nil
	}
	if trailing != "" {
		trailing = " " + trailing
	}
	o := newSource("", src)
	stmtIndent, _ := o.indentAt(kw)
	fnIndent, closeFirst := o.indentAt(closeB)
	if !closeFirst {
		return nil
	}
	unit := strings.TrimPrefix(stmtIndent, fnIndent)
	if unit == "" || unit == stmtIndent && fnIndent != "" {
		unit = "  "
	}
	nl := o.eol(open)
	inner := strings.TrimRight(string(src[open+1:kw]), " \t\r\n")
	inner = strings.ReplaceAll(inner, "\n", "\n"+unit)
	inner = strings.ReplaceAll(inner, "\n"+unit+nl, "\n"+nl)
	inner = strings.ReplaceAll(inner, "\n"+unit+"\n", "\n\n")
	text := nl + stmtIndent + "while (true) {" + inner + nl + stmtIndent + "}" + trailing + nl + fnIndent
	return []Edit{{Range: offRange(open+1, closeB), NewText: text}}
}
