package heap

import "slices"

// Await chains are shared by the recursive-async (LEAK103) and
// __awaiter/co generator (LEAK104) detectors. A link "B awaits A" means
// A's result promise has a reaction whose handler resumes B, so A (newer)
// keeps B (older) alive until A settles. Links are found by target shape,
// never by hidden-edge numbers (those are per-snapshot counters):
//
//	async:    A -hidden-> Promise -reactions_or_result-> PromiseReaction
//	          -hidden-> closure -context-> Context -extension-> B
//	__awaiter: Promise P -reactions_or_result-> PromiseReaction -hidden->
//	          fulfilled -context-> Context … (previous)* -generator-> B,
//	          and P is resolved by a resolving function whose context is
//	          held by a Context … -generator-> A.

// awaitGraph holds the links, keyed by activation node ordinal.
type awaitGraph struct {
	awaiter map[uint32]uint32 // A -> B: B awaits A
	via     map[uint32]uint32 // B -> the Context that holds B (its __awaiter scope), for generators
	handler map[uint32]uint32 // B -> one reaction handler closure that resumes B
}

// maxContextHops bounds walks up `previous` chains and reaction lists.
const maxContextHops = 4

func (p *Pass) awaitGraph() *awaitGraph {
	if p.awaits == nil {
		p.awaits = buildAwaitGraph(p)
	}
	return p.awaits
}

func buildAwaitGraph(p *Pass) *awaitGraph {
	ag := &awaitGraph{awaiter: map[uint32]uint32{}, via: map[uint32]uint32{}, handler: map[uint32]uint32{}}
	if p.n.promise == noString || p.n.reactionsOrResult == noString {
		return ag
	}
	for v := range uint32(p.NodeCount()) {
		if p.NodeKinds[v] != NodeObject || p.NodeNames[v] != p.n.promise {
			continue
		}
		b, h, ctx, ok := p.promiseAwaiter(v)
		if !ok {
			continue
		}
		// Record how b is resumed even when the awaited promise has no
		// owning activation (the newest level awaits a timer promise).
		ag.handler[b] = h
		if ctx != none {
			ag.via[b] = ctx
		}
		a, ok := p.promiseOwner(v)
		if !ok || a == b {
			continue
		}
		if _, dup := ag.awaiter[a]; !dup {
			ag.awaiter[a] = b
		}
	}
	return ag
}

// isActivation reports whether v is a suspended generator or async
// function activation: the JSGeneratorObject shape with `function` and
// `parameters_and_registers` internal edges (names lie: async activations
// are called "Generator", like %GeneratorPrototype%).
func (p *Pass) isActivation(v uint32) bool {
	if p.NodeKinds[v] != NodeObject {
		return false
	}
	_, f := p.edgeTo(v, EdgeInternal, p.n.function)
	_, r := p.edgeTo(v, EdgeInternal, p.n.paramsAndRegisters)
	return f && r
}

// isAsyncActivation tells an async function activation (no prototype:
// __proto__ is null) from a generator object (prototype is the function's
// own "Generator" object).
func (p *Pass) isAsyncActivation(v uint32) bool {
	proto, ok := p.edgeTo(v, EdgeProperty, p.n.proto)
	return !ok || p.oddballValue(proto) != ""
}

// promiseAwaiter returns the activation resumed by promise v's reactions,
// the handler closure, and (for generators) the context holding it.
func (p *Pass) promiseAwaiter(v uint32) (act, handler, ctx uint32, ok bool) {
	r, found := p.edgeTo(v, EdgeInternal, p.n.reactionsOrResult)
	for hops := 0; found && hops < maxContextHops && p.NodeNames[r] == p.n.promiseReaction; hops++ {
		next, more := uint32(0), false
		for e := p.FirstEdge[r]; e < p.FirstEdge[r+1]; e++ {
			h := p.EdgeTo(e)
			switch {
			case p.NodeKinds[h] == NodeClosure:
				if act, ctx, ok := p.resumedBy(h); ok {
					return act, h, ctx, true
				}
			case p.NodeNames[h] == p.n.promiseReaction && !more:
				next, more = h, true
			}
		}
		r, found = next, more
	}
	return 0, 0, 0, false
}

// resumedBy returns the activation a reaction handler closure resumes:
// the `extension` of its context (V8's await closures) or a generator held
// by a variable of its context chain (__awaiter's fulfilled/rejected, co).
func (p *Pass) resumedBy(closure uint32) (act, ctx uint32, ok bool) {
	c, found := p.edgeTo(closure, EdgeInternal, p.n.context)
	if !found {
		return 0, 0, false
	}
	if ext, found := p.edgeTo(c, EdgeInternal, p.n.extension); found && p.isActivation(ext) {
		return ext, none, true
	}
	return p.generatorInScope(c)
}

// generatorInScope finds a generator object held in a context variable of
// c or its enclosing contexts (tsc's `generator` parameter of __awaiter).
func (p *Pass) generatorInScope(c uint32) (act, ctx uint32, ok bool) {
	for hops := 0; hops < maxContextHops && p.NodeNames[c] == p.n.sysContext; hops++ {
		for e := p.FirstEdge[c]; e < p.FirstEdge[c+1]; e++ {
			if t := p.EdgeTo(e); p.EdgeKind(e) == EdgeContext && p.isActivation(t) && !p.isAsyncActivation(t) {
				return t, c, true
			}
		}
		prev, found := p.edgeTo(c, EdgeInternal, p.n.previous)
		if !found {
			break
		}
		c = prev
	}
	return 0, 0, false
}

// promiseOwner returns the activation whose completion settles promise v:
// an async activation holding it as its result (hidden edge), or the
// generator in scope of the resolving functions that settle it.
func (p *Pass) promiseOwner(v uint32) (uint32, bool) {
	for e, from := range p.RetainersOf(v) {
		if p.EdgeKind(e) == EdgeHidden && p.isActivation(from) {
			return from, true
		}
	}
	// Resolving functions: closure -context-> Context -hidden|extension->
	// promise (V8 uses either slot, seen in one snapshot).
	for e, rc := range p.RetainersOf(v) {
		if p.NodeNames[rc] != p.n.sysContext || p.EdgeKind(e) != EdgeHidden && !p.named(e, p.n.extension) {
			continue
		}
		for e2, fn := range p.RetainersOf(rc) {
			if p.NodeKinds[fn] != NodeClosure || !p.named(e2, p.n.context) {
				continue
			}
			for e3, scope := range p.RetainersOf(fn) {
				if p.EdgeKind(e3) != EdgeContext {
					continue
				}
				if act, _, ok := p.generatorInScope(scope); ok {
					return act, true
				}
			}
		}
	}
	return 0, false
}

// chainRun is a maximal run of consecutive links whose activations share
// one function location: the signature of recursion.
type chainRun struct {
	loc     Location
	members []uint32 // newest first
}

// runs splits every await chain into same-location runs. A chain starts
// at its newest activation: one that does not await any other activation.
func (ag *awaitGraph) runs(p *Pass) []chainRun {
	awaits := map[uint32]bool{} // activations that await another one
	for _, b := range ag.awaiter {
		awaits[b] = true
	}
	var heads []uint32
	for a := range ag.awaiter {
		if !awaits[a] {
			heads = append(heads, a)
		}
	}
	slices.Sort(heads)
	visited := map[uint32]bool{}
	var out []chainRun
	for _, h := range heads {
		var cur *chainRun
		for v, ok := h, true; ok && !visited[v]; v, ok = ag.awaiter[v] {
			visited[v] = true
			loc, found := p.Loc.SiteLocation(v)
			if !found {
				cur = nil
				continue
			}
			if cur == nil || !sameLoc(cur.loc, loc) {
				out = append(out, chainRun{loc: loc})
				cur = &out[len(out)-1]
			}
			cur.members = append(cur.members, v)
		}
	}
	return out
}

// sameLoc compares positions, not the node a location belongs to.
func sameLoc(a, b Location) bool {
	return a.ScriptID == b.ScriptID && a.Line == b.Line && a.Column == b.Column
}
