package main

import "strconv"

// emit describes the whole graph to s in node order. It is called once per
// pass; everything it does is a pure function of the plan.
func (p *plan) emit(s *sink) {
	p.emitRoots(s)
	p.emitShared(s)
	p.emitScripts(s)
	if p.plants.Closures > 0 {
		p.emitClosures(s)
	}
	if p.plants.Timeouts > 0 {
		p.emitTimeouts(s)
	}
	if p.plants.Depth > 0 {
		p.emitChain(s)
	}
	p.emitFiller(s)
}

// s interns a name during the counting pass; later passes only look up.
func (p *plan) s(name string) int { return p.intern(name) }

func (p *plan) emitRoots(s *sink) {
	s.node(p.root, tSynthetic, p.s(""), 0)
	s.edge(eElement, 1, p.gcRoots)
	s.edge(eShortcut, p.s("2"), p.global) // the user root: DevTools' distances start here
	s.node(p.gcRoots, tSynthetic, p.s("(GC roots)"), 0)
	for i, r := range p.subroots {
		s.edge(eElement, i+1, r)
	}
	for i, r := range p.subroots {
		s.node(r, tSynthetic, p.s(subrootNames[i]), 0)
		switch i {
		case subGlobalHandles: // module contexts and scripts stay alive through handles
			for k, sc := range p.scripts {
				s.edge(eElement, 2*k, sc.ctx)
				s.edge(eElement, 2*k+1, sc.node)
			}
		case subStrong:
			s.edge(eInternal, p.s("native_context"), p.nativeCtx)
			if p.plants.Depth > 0 {
				s.edge(eInternal, p.s("timerListQueue"), p.timersList)
			}
		case subHandles:
			for _, o := range []int{p.undef, p.null, p.true_, p.false_} {
				s.edge(eInternal, p.s("oddball"), o)
			}
		}
	}
	s.node(p.global, tObject, p.s("global"), 40)
	s.edge(eProperty, p.s("sessions"), p.sessArr)
	if p.plants.Closures > 0 {
		s.edge(eProperty, p.s("bus"), p.bus)
	}
	if p.plants.Timeouts > 0 {
		s.edge(eProperty, p.s("jobs"), p.jobsArr)
	}
	s.edge(eInternal, p.s("map"), p.objMap)
	s.edge(eWeak, p.s("native_context"), p.nativeCtx) // V8's global proxy link does not retain
	s.node(p.nativeCtx, tHidden, p.s("system / NativeContext"), 1000)
	s.edge(eInternal, p.s("extension"), p.global)
	s.edge(eInternal, p.s("scope_info"), p.scopeInfo)
	// Oddballs: the value in hidden edge 0, the typeof string in hidden 1.
	types := [4]int{0, 4, 5, 5} // undefined, object, boolean, boolean
	for i, o := range []int{p.undef, p.null, p.true_, p.false_} {
		s.node(o, tHidden, p.s("system / Oddball"), 28)
		s.edge(eHidden, 0, p.oddStr[i])
		s.edge(eHidden, 1, p.oddStr[types[i]])
	}
	for i, v := range [6]string{"undefined", "null", "true", "false", "object", "boolean"} {
		s.node(p.oddStr[i], tString, p.s(v), 20)
	}
}

// emitShared writes the object shapes, prototypes and pooled strings.
func (p *plan) emitShared(s *sink) {
	for _, o := range []int{p.objMap, p.fnMap, p.arrMap, p.mapMap, p.sessMap} {
		s.node(o, tObjectShape, p.s("system / Map"), 40)
		s.edge(eInternal, p.s("prototype"), p.sessProto)
		s.edge(eWeak, p.s("transition"), p.objMap) // map transitions are weak
	}
	s.node(p.sessProto, tObject, p.s("Session"), 28)
	s.edge(eInternal, p.s("map"), p.objMap)
	s.node(p.scopeInfo, tCode, p.s("system / ScopeInfo"), 48)
	s.node(p.builtinSFI, tCode, p.s(""), 56) // SFI of V8's builtin await/resolve closures: no script
	s.node(p.sessArr, tObject, p.s("Array"), 32)
	s.edge(eInternal, p.s("elements"), p.sessElems)
	s.edge(eInternal, p.s("map"), p.arrMap)
	s.node(p.sessElems, tArray, p.s(""), 16+8*p.buckets())
	for b := range p.buckets() {
		s.edge(eElement, b, p.bucketOrd(b))
	}
}

func (p *plan) emitScripts(s *sink) {
	for _, sc := range p.scripts {
		s.node(sc.node, tCode, p.s(sc.path), 80)
		s.edge(eInternal, p.s("source"), sc.node+1)
		s.edge(eInternal, p.s("name"), sc.node+2)
		s.node(sc.node+1, tString, p.s("'use strict'; // source of "+sc.path), 1024)
		s.node(sc.node+2, tString, p.s(sc.path), 16+len(sc.path))
		s.node(sc.ctx, tObject, p.s("system / Context"), 48)
		s.edge(eInternal, p.s("scope_info"), p.scopeInfo)
		s.edge(eInternal, p.s("previous"), p.nativeCtx)
		if sc.path == scriptPaths[scriptHealth] && p.plants.Depth > 0 {
			s.edge(eContext, p.s("pollHealth"), p.pollFn)
		}
	}
	for i, o := range p.pool {
		s.node(o, tString, p.s(p.poolNames[i]), 16+len(p.poolNames[i]))
	}
	for _, st := range p.sites {
		p.emitSFI(s, st)
	}
}

func (p *plan) emitSFI(s *sink, st site) {
	s.node(st.sfi, tCode, p.s(st.fn), 56)
	s.edge(eInternal, p.s("script_or_debug_info"), p.scripts[st.script].node)
	s.edge(eInternal, p.s("scope_info"), p.scopeInfo)
}

// emitClosure writes a closure of site st whose context is ctx.
func (p *plan) emitClosure(s *sink, ord int, st site, ctx int) {
	s.node(ord, tClosure, p.s(st.fn), 32)
	s.edge(eInternal, p.s("shared"), st.sfi)
	s.edge(eInternal, p.s("context"), ctx)
	s.edge(eInternal, p.s("map"), p.fnMap)
	s.loc(p.scripts[st.script].id, st.line, st.col)
}

// emitContext writes a function context whose variables (context edges)
// are vars, enclosed by the module context of script sc.
func (p *plan) emitContext(s *sink, ord, sc int, vars ...any) {
	s.node(ord, tObject, p.s("system / Context"), 24+8*len(vars)/2)
	for i := 0; i < len(vars); i += 2 {
		s.edge(eContext, p.s(vars[i].(string)), vars[i+1].(int))
	}
	s.edge(eInternal, p.s("scope_info"), p.scopeInfo)
	s.edge(eInternal, p.s("previous"), p.scripts[sc].ctx)
}

// emitClosures plants LEAK110: global.bus (an EventBus) keeps a listeners
// array of onMessage closures, each capturing its own payload.
func (p *plan) emitClosures(s *sink) {
	n := p.plants.Closures
	sc := p.scripts[scriptSubscribers]
	s.node(p.bus, tObject, p.s("EventBus"), 32)
	s.edge(eProperty, p.s("listeners"), p.busArr)
	s.edge(eInternal, p.s("map"), p.objMap)
	s.loc(sc.id, p.busCtor[0], p.busCtor[1])
	s.node(p.busArr, tObject, p.s("Array"), 32)
	s.edge(eInternal, p.s("elements"), p.busElems)
	s.edge(eInternal, p.s("map"), p.arrMap)
	s.node(p.busElems, tArray, p.s(""), 16+8*n)
	for k := range n {
		s.edge(eElement, k, p.busFirst+3*k)
	}
	p.emitSFI(s, p.onMessage)
	for k := range n {
		c := p.busFirst + 3*k
		p.emitClosure(s, c, p.onMessage, c+1)
		p.emitContext(s, c+1, scriptSubscribers, "socket", p.pool[k%len(p.pool)], "payload", c+2)
		s.node(c+2, tArray, p.s(""), 1040) // new Array(128) per listener
		s.edge(eElement, 0, p.pool[(k+1)%len(p.pool)])
	}
}

// emitTimeouts plants LEAK101: global.jobs holds Job objects whose .timer is
// a finished Timeout (_destroyed true, unlinked) that still holds its
// onExpire callback and the AsyncLocalStorage store of its request.
func (p *plan) emitTimeouts(s *sink) {
	n := p.plants.Timeouts
	jobs, ctxScript, timers := p.scripts[scriptJobs], p.scripts[scriptContext], p.scripts[scriptTimers]
	s.node(p.jobsArr, tObject, p.s("Array"), 32)
	s.edge(eInternal, p.s("elements"), p.jobsElems)
	s.edge(eInternal, p.s("map"), p.arrMap)
	s.node(p.jobsElems, tArray, p.s(""), 16+8*n)
	for k := range n {
		s.edge(eElement, k, p.jobsFirst+5*k)
	}
	p.emitSFI(s, p.onExpire)
	for k := range n {
		job := p.jobsFirst + 5*k
		t, cb, ctx, store := job+1, job+2, job+3, job+4
		s.node(job, tObject, p.s("Job"), 40)
		s.edge(eProperty, p.s("timer"), t)
		s.edge(eProperty, p.s("owner"), p.pool[k%len(p.pool)])
		s.edge(eInternal, p.s("map"), p.objMap)
		s.loc(jobs.id, p.jobCtor[0], p.jobCtor[1])
		s.node(t, tObject, p.s("Timeout"), 80)
		s.edge(eProperty, p.s("_idlePrev"), p.null)
		s.edge(eProperty, p.s("_idleNext"), p.null)
		s.edge(eProperty, p.s("_onTimeout"), cb)
		s.edge(eProperty, p.s("_timerArgs"), p.undef)
		s.edge(eProperty, p.s("_repeat"), p.null)
		s.edge(eProperty, p.s("_destroyed"), p.true_)
		s.edge(eProperty, p.s("<symbol kResourceStore>"), store)
		s.edge(eInternal, p.s("map"), p.objMap)
		s.loc(timers.id, 169, 13)
		p.emitClosure(s, cb, p.onExpire, ctx)
		p.emitContext(s, ctx, scriptJobs, "self", job)
		s.node(store, tObject, p.s("RequestContext"), 48)
		s.edge(eProperty, p.s("requestId"), p.pool[(k+7)%len(p.pool)])
		s.edge(eInternal, p.s("map"), p.objMap)
		s.loc(ctxScript.id, p.storeCtor[0], p.storeCtor[1])
	}
}

// emitChain plants LEAK103: pollHealth awaits itself. The newest activation
// awaits a sleep promise resolved by a pending Timeout; every older one is
// resumed by the await closures on the result promise of the next newer
// one (the exact chain of docs: Generator -hidden-> Promise
// -reactions_or_result-> PromiseReaction -hidden-> closure -context->
// Context -extension-> older Generator).
func (p *plan) emitChain(s *sink) {
	d := p.plants.Depth
	health := p.scripts[scriptHealth]
	p.emitSFI(s, p.poll)
	p.emitClosure(s, p.pollFn, p.poll, health.ctx)
	s.node(p.timersList, tObject, p.s("TimersList"), 48)
	s.edge(eProperty, p.s("_idleNext"), p.sleepTimeout)
	s.edge(eProperty, p.s("_idlePrev"), p.sleepTimeout)
	s.node(p.sleepTimeout, tObject, p.s("Timeout"), 80)
	s.edge(eProperty, p.s("_idlePrev"), p.timersList)
	s.edge(eProperty, p.s("_idleNext"), p.timersList)
	s.edge(eProperty, p.s("_onTimeout"), p.sleepCb)
	s.edge(eProperty, p.s("_destroyed"), p.false_)
	s.edge(eProperty, p.s("<symbol kResourceStore>"), p.undef)
	s.loc(p.scripts[scriptTimers].id, 169, 13)
	s.node(p.sleepCb, tClosure, p.s(""), 32) // PromiseCapabilityDefaultResolve: a builtin
	s.edge(eInternal, p.s("shared"), p.builtinSFI)
	s.edge(eInternal, p.s("context"), p.sleepCtx)
	s.node(p.sleepCtx, tObject, p.s("system / Context"), 40)
	s.edge(eHidden, 1, p.sleepPromise)
	p.emitAwait(s, p.sleepPromise, p.sleepReaction, p.sleepRej, p.sleepRes, p.sleepAwaitCtx, p.chainFirst)
	for k := range d {
		g := p.chainFirst + chainLevel*k
		regs, payload, promise := g+1, g+2, g+3
		s.node(g, tObject, p.s("Generator"), 56)
		s.edge(eInternal, p.s("function"), p.pollFn)
		s.edge(eInternal, p.s("context"), health.ctx)
		s.edge(eInternal, p.s("receiver"), p.undef)
		s.edge(eInternal, p.s("parameters_and_registers"), regs)
		s.edge(eHidden, 2, promise)
		s.edge(eProperty, p.s("__proto__"), p.null)
		s.loc(health.id, p.poll.line, p.poll.col)
		s.node(regs, tArray, p.s(""), 40)
		s.edge(eInternal, p.s("0"), g)
		s.edge(eInternal, p.s("1"), payload)
		s.node(payload, tArray, p.s(""), 816) // new Array(100) per level
		if k == d-1 {
			s.node(promise, tObject, p.s("Promise"), 32) // the oldest: called, not awaited
			continue
		}
		p.emitAwait(s, promise, g+4, g+5, g+6, g+7, g+chainLevel)
	}
}

// emitAwait writes a pending promise whose reaction's closures resume the
// activation next.
func (p *plan) emitAwait(s *sink, promise, reaction, rej, res, ctx, next int) {
	s.node(promise, tObject, p.s("Promise"), 32)
	s.edge(eInternal, p.s("reactions_or_result"), reaction)
	s.node(reaction, tObject, p.s("system / PromiseReaction"), 40)
	s.edge(eHidden, 0, rej)
	s.edge(eHidden, 1, res)
	for _, c := range []int{rej, res} {
		s.node(c, tClosure, p.s(""), 32)
		s.edge(eInternal, p.s("shared"), p.builtinSFI)
		s.edge(eInternal, p.s("context"), ctx)
	}
	s.node(ctx, tObject, p.s("system / Context"), 40)
	s.edge(eInternal, p.s("extension"), next)
	s.edge(eInternal, p.s("scope_info"), p.scopeInfo)
}

func (p *plan) buckets() int { return (p.units + unitsPerBucket - 1) / unitsPerBucket }

func (p *plan) bucketOrd(b int) int {
	return p.fillerFirst + b*(bucketNodes+unitsPerBucket*unitNodes)
}

// fillerNames are the string indexes of the filler's edge and node names,
// resolved once per pass instead of per unit.
type fillerNames struct {
	id, user, onData, tags, meta, ref, mapE, proto, name, role, shared, context, elements, table int
	session, sessionVar, buf, scopeInfo, previous, sysContext, object, array, mapName, empty     int
	heapNumber, slot0, slot1                                                                     int
}

func (p *plan) fillerNames() fillerNames {
	return fillerNames{
		id: p.s("id"), user: p.s("user"), onData: p.s("onData"), tags: p.s("tags"), meta: p.s("meta"),
		ref: p.s("ref"), mapE: p.s("map"), proto: p.s("__proto__"), name: p.s("name"), role: p.s("role"),
		shared: p.s("shared"), context: p.s("context"), elements: p.s("elements"), table: p.s("table"),
		session: p.s("Session"), sessionVar: p.s("session"), buf: p.s("buf"), scopeInfo: p.s("scope_info"),
		previous: p.s("previous"), sysContext: p.s("system / Context"), object: p.s("Object"),
		array: p.s("Array"), mapName: p.s("Map"), empty: p.s(""), heapNumber: p.s("heap number"),
		slot0: p.s("0"), slot1: p.s("1"),
	}
}

// emitFiller writes the sessions: buckets (a Map and its table) each
// followed by its units.
func (p *plan) emitFiller(s *sink) {
	nm := p.fillerNames()
	slots := make([]int, unitsPerBucket) // names of the table's slot edges
	for j := range slots {
		slots[j] = p.s(strconv.Itoa(j))
	}
	server := p.scripts[scriptServer].id
	for b := range p.buckets() {
		base := p.bucketOrd(b)
		first := b * unitsPerBucket
		n := min(unitsPerBucket, p.units-first)
		s.node(base, tObject, nm.mapName, 32)
		s.edge(eInternal, nm.table, base+1)
		s.edge(eInternal, nm.mapE, p.mapMap)
		s.node(base+1, tArray, nm.empty, 16+8*n)
		for j := range n {
			s.edge(eInternal, slots[j], base+2+j*unitNodes)
		}
		for j := range n {
			p.emitUnit(s, &nm, first+j, base+2+j*unitNodes, server)
		}
	}
}

// emitUnit writes one session: Session object, its id string, a user
// object, an onData-style closure with its context, a tags array, a Map
// with its table, and a heap number.
func (p *plan) emitUnit(s *sink, nm *fillerNames, i, u, server int) {
	st := &p.sites[i%len(p.sites)]
	pool := p.pool
	s.node(u, tObject, nm.session, 56)
	s.edge(eProperty, nm.id, u+1)
	s.edge(eProperty, nm.user, u+2)
	s.edge(eProperty, nm.onData, u+3)
	s.edge(eProperty, nm.tags, u+5)
	s.edge(eProperty, nm.meta, u+7)
	s.edge(eWeak, nm.ref, u+2)
	s.edge(eHidden, 3, u+9)
	s.edge(eInternal, nm.mapE, p.sessMap)
	s.edge(eProperty, nm.proto, p.sessProto)
	s.loc(server, p.sessionCtor[0], p.sessionCtor[1])
	s.node(u+1, tString, p.uniq+i, 32)
	s.node(u+2, tObject, nm.object, 32)
	s.edge(eProperty, nm.name, pool[i%len(pool)])
	s.edge(eProperty, nm.role, pool[(i/len(pool))%len(pool)])
	s.edge(eInternal, nm.mapE, p.objMap)
	s.node(u+3, tClosure, st.name, 32)
	s.edge(eInternal, nm.shared, st.sfi)
	s.edge(eInternal, nm.context, u+4)
	s.edge(eInternal, nm.mapE, p.fnMap)
	s.loc(p.scripts[st.script].id, st.line, st.col)
	s.node(u+4, tObject, nm.sysContext, 40)
	s.edge(eContext, nm.sessionVar, u)
	s.edge(eContext, nm.buf, u+6)
	s.edge(eInternal, nm.scopeInfo, p.scopeInfo)
	s.edge(eInternal, nm.previous, p.scripts[st.script].ctx)
	s.node(u+5, tObject, nm.array, 32)
	s.edge(eInternal, nm.elements, u+6)
	s.edge(eInternal, nm.mapE, p.arrMap)
	s.node(u+6, tArray, nm.empty, 40)
	s.edge(eElement, 0, u+1)
	s.edge(eElement, 1, pool[(i+1)%len(pool)])
	s.edge(eElement, 2, u+2)
	s.node(u+7, tObject, nm.mapName, 32)
	s.edge(eInternal, nm.table, u+8)
	s.edge(eInternal, nm.mapE, p.mapMap)
	s.node(u+8, tArray, nm.empty, 80)
	s.edge(eInternal, nm.slot0, u+1)
	s.edge(eInternal, nm.slot1, u+2)
	s.node(u+9, tNumber, nm.heapNumber, 16)
}
