package jsscan

import (
	"slices"
	"strings"

	"github.com/tdewolff/parse/v2/js"
)

var timerTokenRule = &Rule{
	Code: CodeTimerToken,
	Name: "timer-token-retained",
	Doc: "A Timeout stored on a long-lived object (this.x = setTimeout(...), a Map, an array, an outer variable) " +
		"and never released stays reachable after it fires, and with it the callback closure and every " +
		"AsyncLocalStorage store copied onto it. Release the token when the timer fires (this.x = null) and after clearTimeout.",
	Run: runTimerToken,
}

// storage is where a timer token is kept and how its release looks.
type storage struct {
	kind string // "place" (this.x, obj.x, a[i], outer variable), "map", "array"
	key  string // source text of the place or the collection
	v    *js.Var
	fix  string // text of the release statement, "" when none is offered
	at   span   // the place in the scanned text
}

func runTimerToken(p *Pass) {
	for i := range p.nodes {
		c, ok := p.nodes[i].n.(*js.CallExpr)
		if !ok {
			continue
		}
		name := timerCall(c)
		if name == "" {
			continue
		}
		st, ok := p.timerStorage(i)
		if !ok {
			continue
		}
		// In TypeScript the scanned text is esbuild's, which renames some
		// names (a namespace N becomes N2): say and fix what the source says.
		if orig := p.origText(st.at); st.kind == "place" && orig != "" && orig != st.key {
			st.key, st.fix = orig, ""
		}
		checkTimerToken(p, i, c, name, st)
	}
}

func checkTimerToken(p *Pass, i int, c *js.CallExpr, name string, st storage) {
	scope := p.classOf(i)
	if scope < 0 {
		scope = 0
	}
	unreleased := p.unreleasedClears(scope, st)
	cbs := p.callbackBodies(i, c)
	if name == "setInterval" {
		// An interval lives until cleared; it is retained after
		// clearInterval unless released there. Never cleared: LEAK005.
		if len(unreleased) == 0 {
			return
		}
	} else if p.releasedByCallback(p.directCallback(i, c), cbs, st, unreleased) {
		return
	}
	at := p.spanOf(p.child(i, c.X))
	msg := "finished Timeout stays reachable through " + displayPlace(st.key) + ": it keeps its callback closure and AsyncLocalStorage stores alive; release it when the timer fires"
	if name == "setInterval" {
		msg = "cleared interval stays reachable through " + displayPlace(st.key) + " after clearInterval: it keeps its callback closure and AsyncLocalStorage stores alive; release it after clearing"
	}
	var fixes []fix
	if st.fix != "" {
		if val := p.releaseValue(st); val == "" {
			st.fix = "" // TypeScript: the declared type admits no null/undefined (or is unknown)
		} else {
			st.fix = st.key + " = " + val + ";"
		}
	}
	if st.fix != "" {
		fx := fix{title: "Release " + st.key + " when done", preferred: true, safe: true}
		if why := p.nullSafety(st); why != "" {
			fx.title += " (not applied by --fix: " + why + ")"
			fx.preferred, fx.safe = false, false
		}
		if name == "setTimeout" {
			if len(cbs) == 0 || !p.isInline(cbs[0], c) || !p.sameThis(cbs[0], st) {
				fx = fix{}
			} else if t := p.firstBodyToken(cbs[0], p.callOpen(i)+1); t > 0 && p.callOpen(i) >= 0 {
				fx.edits = append(fx.edits, edit{at: span{int(p.toks[t].off), int(p.toks[t].off)}, text: st.fix, stmt: true})
			}
		}
		if fx.title != "" {
			// The first finding of a place adds the releases after its
			// clears; the others must not add them again.
			k := clearKey{scope: scope, key: st.key, v: st.v}
			if !p.clearsFixed[k] {
				p.clearsFixed[k] = true
				for _, cl := range unreleased {
					if e, ok := p.insertAfterStmt(cl, st.fix); ok {
						fx.edits = append(fx.edits, e)
					}
				}
			}
			if len(fx.edits) > 0 {
				fixes = append(fixes, fx)
			}
		}
	}
	p.reportAt(at, msg, nil, fixes)
}

// timerStorage classifies where the value of the timer call at i goes.
// Local variables are not storage: a token that does not escape dies with
// its scope.
func (p *Pass) timerStorage(i int) (storage, bool) {
	val := i
	// setTimeout(...).unref() / .ref() return the same Timeout.
	for {
		par := int(p.nodes[val].parent)
		gp := -1
		if par >= 0 {
			gp = int(p.nodes[par].parent)
		}
		if gp < 0 {
			break
		}
		n := propName(asExpr(p.nodes[par].n))
		if _, isCall := p.nodes[gp].n.(*js.CallExpr); isCall && (n == "unref" || n == "ref") {
			val = gp
			continue
		}
		break
	}
	for {
		par := int(p.nodes[val].parent)
		if par < 0 {
			return storage{}, false
		}
		if _, ok := p.nodes[par].n.(*js.GroupExpr); ok {
			val = par
			continue
		}
		break
	}
	par := int(p.nodes[val].parent)
	switch n := p.nodes[par].n.(type) {
	case *js.BinaryExpr:
		if n.Op != js.EqToken || p.child(par, n.Y) != val && p.lastChild(par) != val {
			return storage{}, false
		}
		x := p.child(par, n.X)
		switch t := unparen(n.X).(type) {
		case *js.DotExpr, *js.IndexExpr:
			k := p.keyOf(x)
			if k == "" {
				return storage{}, false
			}
			fixText := ""
			if _, dot := t.(*js.DotExpr); dot {
				fixText = k + " = null;"
			}
			return storage{kind: "place", key: k, fix: fixText, at: p.closedSpan(x)}, true
		case *js.Var:
			if !p.outerVar(t, i) {
				return storage{}, false
			}
			return storage{kind: "place", key: string(t.Data), v: root(t), fix: string(t.Data) + " = null;", at: p.spanOf(x)}, true
		}
	case *js.Arg:
		args := int(p.nodes[par].parent)
		call := int(p.nodes[args].parent)
		c, ok := p.nodes[call].n.(*js.CallExpr)
		if !ok {
			return storage{}, false
		}
		if k := privateFieldKey(c); k != "" && len(c.Args.List) >= 3 && &c.Args.List[2] == n {
			// tsc's down-levelled private field: __classPrivateFieldSet(this, _X_t, setTimeout(…), "f")
			return storage{kind: "place", key: k}, true
		}
		d, ok := unparen(c.X).(*js.DotExpr)
		if !ok {
			return storage{}, false
		}
		recv := p.keyOf(p.find(call, d.X))
		switch propName(d) {
		case "set":
			if len(c.Args.List) == 2 && &c.Args.List[1] == n {
				return storage{kind: "map", key: recv}, true
			}
		case "push", "unshift":
			return storage{kind: "array", key: recv}, true
		}
	}
	return storage{}, false
}

func asExpr(n js.INode) js.IExpr {
	e, _ := n.(js.IExpr)
	return e
}

func (p *Pass) lastChild(i int) int {
	ch := p.children(i)
	if len(ch) == 0 {
		return -1
	}
	return ch[len(ch)-1]
}

// outerVar reports whether v (used at node i) is declared outside the
// function containing i: a token kept there outlives the call.
func (p *Pass) outerVar(v *js.Var, i int) bool {
	r := root(v)
	if r.Decl == js.NoDecl {
		return true // implicit global
	}
	fn := p.enclosing(i, isFunc)
	if fn < 0 {
		return false // module level: one token, kept on purpose
	}
	d := p.declOf(r)
	if d >= 0 && p.isMethod(p.enclosing(d, isFunc)) {
		// A local of a method is per-call state: it lives as long as the
		// closures of that one call (chokidar's pending write), not as
		// long as an object.
		return false
	}
	return d < 0 || d < fn || d >= int(p.nodes[fn].end)
}

// declOf finds the node where declared variable r is bound, or -1. The
// index is built once per pass: looking up per timer scanned the whole
// file each time (minutes on a 1 MB bundle).
func (p *Pass) declOf(r *js.Var) int {
	if p.decls == nil {
		p.decls = map[*js.Var]int{}
		for j := range p.nodes {
			v, ok := p.nodes[j].n.(*js.Var)
			if !ok {
				continue
			}
			if _, seen := p.decls[v]; seen {
				continue
			}
			switch p.nodes[int(p.nodes[j].parent)].n.(type) {
			case *js.BindingElement, *js.FuncDecl, *js.ClassDecl, *js.Params, *js.BindingObject, *js.BindingArray:
				p.decls[v] = j
			}
		}
	}
	if d, ok := p.decls[r]; ok {
		return d
	}
	return -1
}

// callbackBodies returns the function bodies the timer callback runs: an
// inline function, a function bound or named, this.method, a function
// wrapped by a helper (_asyncToGenerator(function* () {…})); plus every
// function of the file they call (see reachable).
func (p *Pass) callbackBodies(i int, c *js.CallExpr) []int {
	direct := p.directCallback(i, c)
	if len(direct) == 0 {
		return nil
	}
	return p.reachable(direct, p.ownerOf(i))
}

// directCallback resolves the timer's first argument to function nodes.
func (p *Pass) directCallback(i int, c *js.CallExpr) []int {
	if len(c.Args.List) == 0 {
		return nil
	}
	arg := p.find(i, c.Args.List[0].Value)
	if arg < 0 {
		return nil
	}
	cls := p.ownerOf(i)
	switch cb := unparen(c.Args.List[0].Value).(type) {
	case *js.ArrowFunc, *js.FuncDecl:
		return []int{arg}
	case *js.CallExpr:
		if propName(cb.X) == "bind" { // f.bind(this)
			d := unparen(cb.X).(*js.DotExpr)
			return p.funcOf(i, d.X, cls)
		}
		var out []int // a helper wrapping a function (fbind(this.m, this)): the function
		for _, a := range cb.Args.List {
			out = append(out, p.funcOf(arg, a.Value, cls)...)
		}
		return out
	default:
		return p.funcOf(i, cb, cls)
	}
}

// funcOf resolves a callee expression (this.m, self.#m, a function name)
// to the node of its function.
func (p *Pass) funcOf(i int, e js.IExpr, cls int) []int {
	switch x := unparen(e).(type) {
	case *js.DotExpr:
		if p.isSelf(x.X) {
			if m := p.memberFunc(cls, memberName(x)); m >= 0 {
				return []int{m}
			}
			if m := p.protoFunc(memberName(x)); m >= 0 {
				return []int{m}
			}
		}
	case *js.Var:
		r := root(x)
		if d := p.declOf(r); d >= 0 {
			par := int(p.nodes[d].parent)
			switch n := p.nodes[par].n.(type) {
			case *js.FuncDecl:
				return []int{par}
			case *js.BindingElement:
				if isFunc(unparen(n.Default)) {
					return []int{p.find(par, unparen(n.Default))}
				}
			}
		}
		if f := p.assignedFunc(r); f >= 0 {
			return []int{f}
		}
	case *js.ArrowFunc, *js.FuncDecl:
		if f := p.find(i, x); f >= 0 {
			return []int{f}
		}
	}
	return nil
}

func (p *Pass) isInline(body int, c *js.CallExpr) bool {
	return len(c.Args.List) > 0 && sameNode(p.nodes[body].n, unparen(c.Args.List[0].Value))
}

// firstBodyToken returns the token before which a statement can be added
// at the top of function fn's block body: the first statement, or the
// closing brace of an empty body; -1 for a concise arrow body. startTok is
// the function's first token when known (a callback right after '('),
// otherwise -1 and the function is found from its name.
func (p *Pass) firstBodyToken(fn, startTok int) int {
	t := startTok
	if t < 0 {
		switch n := p.nodes[fn].n.(type) {
		case *js.MethodDecl:
			t = p.token(p.start(fn))
		case *js.FuncDecl:
			if n.Name != nil {
				t = p.token(p.start(fn))
			}
		}
		if t < 0 {
			return -1
		}
		for k := t; k < t+4 && k < len(p.toks); k++ {
			if p.toks[k].tt == js.OpenParenToken {
				t = k
				break
			}
		}
	}
	open := p.bodyOpen(t)
	if open < 0 || open+1 >= len(p.toks) || !p.inside(fn, open) {
		return -1
	}
	return open + 1
}

// inside checks that token t lies within the source of node fn (its body
// brace closes after the function's last positioned token).
func (p *Pass) inside(fn, t int) bool {
	m := p.toks[t].match
	return m >= 0 && int(p.toks[m].end) >= p.last(fn)
}

// releasedByCallback decides a setTimeout stored in st from what its
// callback (and the functions it calls) does when the timer fires:
//   - releases the place (assigns another value, deletes it, removes it
//     from its collection): no leak;
//   - re-arms it (assigns a new timer to the place, a self-rescheduling
//     timer): the spent token is replaced each round, and the last one
//     leaks only where a clear leaves it behind (unreleased clears);
//   - settles a promise with reject(…): a deadline of one operation, whose
//     owner is dropped with the operation.
func (p *Pass) releasedByCallback(direct, cbs []int, st storage, unreleased []int) bool {
	rearmed := false
	for _, b := range cbs {
		switch p.fate(b, st) {
		case fateReleased:
			return true
		case fateRearmed:
			rearmed = true
		}
	}
	if rearmed {
		// A clear inside the callback itself is followed by the re-arm;
		// only the clears elsewhere (close, stop) can strand it.
		for _, cl := range unreleased {
			if !slices.ContainsFunc(direct, func(b int) bool { return cl > b && cl < int(p.nodes[b].end) }) {
				return false
			}
		}
		return true
	}
	return len(cbs) > 0 && p.endsOperation(cbs[0])
}

const (
	fateNone = iota
	fateReleased
	fateRearmed
)

// fate reports whether the function at fn releases st or stores a new
// timer in it.
func (p *Pass) fate(fn int, st storage) int {
	out := fateNone
	end := int(p.nodes[fn].end)
	for j := fn + 1; j < end && out != fateReleased; j++ {
		if p.isRelease(j, st) {
			out = fateReleased
		} else if out == fateNone && p.isRearm(j, st) {
			out = fateRearmed
		}
	}
	return out
}

// isRearm: the node assigns a new timer to the place.
func (p *Pass) isRearm(j int, st storage) bool {
	if c, ok := p.nodes[j].n.(*js.CallExpr); ok && calleeName(c.X) == "__classPrivateFieldSet" {
		return privateFieldKey(c) == st.key && len(c.Args.List) >= 3 && timerCall(unwrapTimer(c.Args.List[2].Value)) != ""
	}
	b, ok := p.nodes[j].n.(*js.BinaryExpr)
	if !ok || b.Op != js.EqToken || timerCall(unwrapTimer(b.Y)) == "" {
		return false
	}
	if st.v != nil {
		v, ok := unparen(b.X).(*js.Var)
		return ok && root(v) == st.v
	}
	return st.kind == "place" && p.samePlace(p.keyOf(p.child(j, b.X)), st.key)
}

// unwrapTimer sees through setTimeout(…).unref() and a = b = setTimeout(…).
func unwrapTimer(e js.IExpr) js.IExpr {
	for {
		switch x := unparen(e).(type) {
		case *js.CallExpr:
			if n := propName(x.X); n == "unref" || n == "ref" {
				e = unparen(x.X).(*js.DotExpr).X
				continue
			}
		case *js.BinaryExpr:
			if x.Op == js.EqToken {
				e = x.Y
				continue
			}
		}
		return e
	}
}

// endsOperation reports whether the callback at fn itself ends the
// operation its owner stands for: reject(…), x.reject(…), cancel(…),
// cancelWithStatus(…). Such a timer is the deadline
// of one request, call or command, whose owner is dropped when it ends.
func (p *Pass) endsOperation(fn int) bool {
	found := false
	p.walkOwn(fn, true, func(j int) {
		if c, ok := p.nodes[j].n.(*js.CallExpr); ok && operationEnders[calleeName(c.X)] {
			found = true
		}
	})
	return found
}

var operationEnders = map[string]bool{"reject": true, "cancel": true, "cancelWithStatus": true}

// isPrefixPlace: releasing this._storage[key] releases
// this._storage[key].timeoutId with it.
func isPrefixPlace(k, key string) bool {
	return len(k) > len("this.") && len(key) > len(k) && key[:len(k)] == k && (key[len(k)] == '.' || key[len(k)] == '[')
}

func (p *Pass) isRelease(j int, st storage) bool {
	switch n := p.nodes[j].n.(type) {
	case *js.BinaryExpr:
		if n.Op != js.EqToken || timerCall(unwrapTimer(n.Y)) != "" {
			return false // storing a new timer re-arms, it does not release
		}
		if st.v != nil {
			v, ok := unparen(n.X).(*js.Var)
			return ok && root(v) == st.v
		}
		x := p.child(j, n.X)
		k := p.keyOf(x)
		if st.kind == "array" {
			return k == st.key || k == st.key+".length"
		}
		return st.kind == "place" && (p.samePlace(k, st.key) || isPrefixPlace(k, st.key))
	case *js.UnaryExpr:
		if n.Op != js.DeleteToken || st.kind != "place" {
			return false
		}
		k := p.keyOf(p.child(j, n.X))
		return p.samePlace(k, st.key) || isPrefixPlace(k, st.key)
	case *js.CallExpr:
		if k := privateFieldKey(n); k != "" && k == st.key && calleeName(n.X) == "__classPrivateFieldSet" {
			return len(n.Args.List) >= 3 && timerCall(unwrapTimer(n.Args.List[2].Value)) == ""
		}
		d, ok := unparen(n.X).(*js.DotExpr)
		if !ok || st.kind == "place" {
			return false
		}
		if p.keyOf(p.find(j, d.X)) != st.key {
			return false
		}
		switch propName(d) {
		case "delete", "clear":
			return st.kind == "map"
		case "splice", "shift", "pop", "filter", "length":
			return st.kind == "array"
		}
	}
	return false
}

// samePlace reports whether key k names the place key does, counting
// this-aliases: in `var self = this; setTimeout(function () { self.t =
// null })`, self.t is this.t.
func (p *Pass) samePlace(k, key string) bool {
	return k == key || p.canonPlace(k) == p.canonPlace(key)
}

// canonPlace writes a place reached through a this-alias with `this`.
func (p *Pass) canonPlace(k string) string {
	alias, rest, ok := strings.Cut(k, ".")
	if ok && p.thisAliases()[alias] {
		return "this." + rest
	}
	return k
}

// thisAliases are the names bound to `this` in the file (self, that, _this
// as ES5 code and tsc output write them), found once per pass.
func (p *Pass) thisAliases() map[string]bool {
	if p.aliases != nil {
		return p.aliases
	}
	p.aliases = map[string]bool{}
	for j := range p.nodes {
		if b, ok := p.nodes[j].n.(*js.BindingElement); ok && b.Default != nil && isThis(b.Default) {
			if v, ok := b.Binding.(*js.Var); ok {
				p.aliases[string(v.Data)] = true
			}
		}
	}
	return p.aliases
}

// clearSites lists the clearTimeout/clearInterval(place) calls in scope.
func (p *Pass) clearSites(scope int, st storage, names ...string) []int {
	if st.kind != "place" {
		return nil
	}
	idx := p.clearCalls()
	calls := idx.byKey[st.key]
	if st.v != nil {
		calls = idx.byVar[st.v]
	}
	end := int(p.nodes[scope].end)
	var out []int
	for _, cl := range calls {
		if cl.node >= scope && cl.node < end && timerFunc(cl.call.X, names...) != "" {
			out = append(out, cl.node)
		}
	}
	return out
}

// unreleasedClears lists the clears of st in scope not followed by a
// release, once per place and scope: every timer stored in the same place
// asks the same question (20,000 functions setting one global took 37 s).
func (p *Pass) unreleasedClears(scope int, st storage) []int {
	k := clearKey{scope: scope, key: st.key, v: st.v}
	if out, ok := p.unreleased[k]; ok {
		return out
	}
	var out []int
	for _, cl := range p.clearSites(scope, st, "clearTimeout", "clearInterval") {
		if !p.releasedAfter(cl, st) {
			out = append(out, cl)
		}
	}
	p.unreleased[k] = out
	return out
}

type clearKey struct {
	scope int
	key   string
	v     *js.Var
}

// clearCall is one clearTimeout/clearInterval(x) call of the file.
type clearCall struct {
	node int
	call *js.CallExpr
}

// clearIndex holds the file's clear calls by argument: collecting them per
// timer made a file of N timers and N clears cost N² node visits.
type clearIndex struct {
	byKey map[string][]clearCall // arguments that are places (this.t, o.t)
	byVar map[*js.Var][]clearCall
}

// clearCalls indexes the file's clear calls, once per pass.
func (p *Pass) clearCalls() *clearIndex {
	if p.clears != nil {
		return p.clears
	}
	idx := &clearIndex{byKey: map[string][]clearCall{}, byVar: map[*js.Var][]clearCall{}}
	for j := range p.nodes {
		c, ok := p.nodes[j].n.(*js.CallExpr)
		if !ok || len(c.Args.List) == 0 || timerFunc(c.X, "clearTimeout", "clearInterval") == "" {
			continue
		}
		a := p.find(j, c.Args.List[0].Value)
		if a < 0 {
			continue
		}
		cl := clearCall{node: j, call: c}
		if v, ok := unparen(c.Args.List[0].Value).(*js.Var); ok {
			idx.byVar[root(v)] = append(idx.byVar[root(v)], cl)
		} else {
			k := p.keyOf(a)
			idx.byKey[k] = append(idx.byKey[k], cl)
		}
	}
	p.clears = idx
	return idx
}

// releasedAfter reports whether the place is released where it is cleared:
// `place = clearTimeout(place)`, or a later statement of the block that
// holds the clear statement.
func (p *Pass) releasedAfter(cl int, st storage) bool {
	stmt := int(p.nodes[cl].parent)
	if b, ok := p.nodes[stmt].n.(*js.BinaryExpr); ok && b.Op == js.EqToken && p.isRelease(stmt, st) {
		return true
	}
	if _, ok := p.nodes[stmt].n.(*js.ExprStmt); !ok {
		return false
	}
	// Look after the statement in its block, then after the if that
	// guards it (`if (t) { clearTimeout(t) } t = null`), up to the
	// function.
	for up := 0; up < 3 && stmt >= 0; up++ {
		block := int(p.nodes[stmt].parent)
		if block < 0 || isFunc(p.nodes[block].n) {
			return false
		}
		for j := int(p.nodes[stmt].end); j < int(p.nodes[block].end); j++ {
			if p.isRelease(j, st) || p.isRearm(j, st) { // a new timer replaces the cleared one
				return true
			}
		}
		stmt = block
		if _, ok := p.nodes[stmt].n.(*js.BlockStmt); ok {
			if par := int(p.nodes[stmt].parent); par >= 0 {
				if _, ok := p.nodes[par].n.(*js.IfStmt); ok {
					stmt = par
				}
			}
		}
	}
	return false
}

// plainStmt returns the statement that is exactly the call at node call,
// sitting directly in a block (a body or the module), or -1. Only after
// such a statement can another be added: not after `if (x) clear(t)`
// without braces, a concise arrow body, `a && clear(t)` or a comma list.
func (p *Pass) plainStmt(call int) int {
	stmt := int(p.nodes[call].parent)
	if stmt < 0 {
		return -1
	}
	es, ok := p.nodes[stmt].n.(*js.ExprStmt)
	if !ok || !sameNode(unparen(es.Value), p.nodes[call].n) {
		return -1
	}
	block := int(p.nodes[stmt].parent)
	if block < 0 {
		return -1
	}
	if _, ok := p.nodes[block].n.(*js.BlockStmt); !ok {
		return -1
	}
	return stmt
}

// insertAfterStmt adds a statement after the plain statement that is the
// call at node call. The edit is anchored at the call's ')' and placed
// after a ';' that follows it in the original file (TypeScript output has
// one whether or not the source does).
func (p *Pass) insertAfterStmt(call int, text string) (edit, bool) {
	open := p.callOpen(call)
	if p.plainStmt(call) < 0 || open < 0 || p.toks[open].match < 0 {
		return edit{}, false
	}
	tok := p.toks[p.toks[open].match]
	return edit{at: span{int(tok.off), int(tok.off)}, text: text, after: int(tok.end - tok.off)}, true
}

// sameThis: a release written with `this` only works in an arrow callback;
// in a function expression `this` is the Timeout.
func (p *Pass) sameThis(fn int, st storage) bool {
	_, arrow := p.nodes[fn].n.(*js.ArrowFunc)
	return arrow || !strings.HasPrefix(st.key, "this")
}

// privateFieldKey names the private field a tsc helper call reads or
// writes (__classPrivateFieldGet(this, _X_t, "f"), __classPrivateFieldSet(
// this, _X_t, v, "f")) the way keyOf writes the read, so that
// clearTimeout(__classPrivateFieldGet(this, _X_t, "f")) is a clear of the
// place; "" for other calls.
func privateFieldKey(c *js.CallExpr) string {
	switch calleeName(c.X) {
	case "__classPrivateFieldGet", "__classPrivateFieldSet":
	default:
		return ""
	}
	if len(c.Args.List) < 2 || !isThis(c.Args.List[0].Value) {
		return ""
	}
	v, ok := unparen(c.Args.List[1].Value).(*js.Var)
	if !ok {
		return ""
	}
	return `__classPrivateFieldGet(this,` + string(v.Data) + `,"f")`
}

// displayPlace says a private-field key the way a reader knows it.
func displayPlace(key string) string {
	if rest, ok := strings.CutPrefix(key, "__classPrivateFieldGet(this,"); ok {
		return "the private field " + strings.TrimSuffix(rest, `,"f")`)
	}
	return key
}

// isMethod: the function at fn is a class or object-literal method, or a
// function stored on a prototype (X.prototype.m = function …).
func (p *Pass) isMethod(fn int) bool {
	if fn < 0 {
		return false
	}
	if _, ok := p.nodes[fn].n.(*js.MethodDecl); ok {
		return true
	}
	par := int(p.nodes[fn].parent)
	if par < 0 {
		return false
	}
	b, ok := p.nodes[par].n.(*js.BinaryExpr)
	if !ok || b.Op != js.EqToken {
		return false
	}
	d, ok := unparen(b.X).(*js.DotExpr)
	return ok && propName(d.X) == "prototype"
}
