package heap

import "fmt"

// runPromiseChains, part of the recursive-async detector (LEAK103),
// finds recursion through `return this.next()` in an async function:
// each level finishes, but its promise is resolved with the next level's
// promise, so V8 keeps Promise -> PromiseReaction -> Promise
// links from the newest level back to the first. No suspended frames, no
// closures: only promises.
const promiseChainDoc = `Finds long chains of pending promises where each promise's only reaction
resolves the next older one (an async function that returns a call to itself
instead of looping: return this.next()). The newest promise waits for a timer
or I/O; every older one waits for it, so the chain grows by one promise per
round and is never freed. Reported at the async function when allocation
stacks exist, otherwise at the object whose property holds the chain's oldest
promise.`

// promiseGroup is the chains of one site.
type promiseGroup struct {
	site    Site
	holder  string
	members []uint32
	depth   int
	heads   []uint32 // oldest promise of each chain
}

func runPromiseChains(p *Pass) []Suspect {
	if p.n.promise == noString || p.n.promiseReaction == noString {
		return nil
	}
	older, isNewer := p.promiseLinks()
	groups := map[Site]*promiseGroup{}
	var order []Site
	for v := range older {
		if isNewer[v] {
			continue // not the newest end of a chain
		}
		chain := []uint32{v}
		for cur, ok := older[v]; ok && len(chain) <= p.NodeCount(); cur, ok = older[cur] {
			chain = append(chain, cur)
		}
		if len(chain) < minChainDepth || p.isExplained(chain[len(chain)-1]) {
			continue
		}
		site, holder, ok := p.promiseChainSite(chain)
		if !ok || !p.appSite(site) {
			continue
		}
		key := siteKeyOf(site)
		g := groups[key]
		if g == nil {
			g = &promiseGroup{site: site, holder: holder}
			groups[key] = g
			order = append(order, key)
		}
		g.members = append(g.members, chain...)
		g.depth = max(g.depth, len(chain))
		g.heads = append(g.heads, chain[len(chain)-1])
	}
	var out []Suspect
	for _, key := range order {
		out = append(out, p.promiseChainSuspect(groups[key]))
	}
	return out
}

// promiseLinks maps each pending promise to the older promise its single
// reaction resolves (reaction -hidden-> Promise: the promise_or_capability
// slot), and marks the older ones.
func (p *Pass) promiseLinks() (older map[uint32]uint32, isOlder map[uint32]bool) {
	older, isOlder = map[uint32]uint32{}, map[uint32]bool{}
	for v := range uint32(p.NodeCount()) {
		if p.NodeKinds[v] != NodeObject || p.NodeNames[v] != p.n.promise {
			continue
		}
		r, ok := p.edgeTo(v, EdgeInternal, p.n.reactionsOrResult)
		if !ok || p.NodeNames[r] != p.n.promiseReaction {
			continue
		}
		next := none
		for e := p.FirstEdge[r]; e < p.FirstEdge[r+1]; e++ {
			t := p.EdgeTo(e)
			if p.NodeKinds[t] == NodeClosure {
				o, ok := p.resolvedPromise(t)
				if !ok {
					next = none // a handler runs code: not a plain promise link
					break
				}
				if o != v {
					next = o // the promise it settles; the reaction's own promise is a throwaway
					break
				}
				continue
			}
			if p.EdgeKind(e) == EdgeHidden && p.NodeKinds[t] == NodeObject && p.NodeNames[t] == p.n.promise && t != v {
				next = t
			}
		}
		if next != none {
			older[v] = next
			isOlder[next] = true
		}
	}
	return older, isOlder
}

// resolvedPromise returns the promise a V8 resolving function settles:
// a closure without a source position (builtin code) whose context holds
// the promise by a hidden edge. With async hooks on (AsyncLocalStorage
// before Node 24) V8 links `return promise` through these functions
// instead of the reaction's promise slot.
func (p *Pass) resolvedPromise(fn uint32) (uint32, bool) {
	if _, ok := p.Loc.Location(fn); ok {
		return 0, false
	}
	c, ok := p.edgeTo(fn, EdgeInternal, p.n.context)
	if !ok {
		return 0, false
	}
	for e := p.FirstEdge[c]; e < p.FirstEdge[c+1]; e++ {
		if t := p.EdgeTo(e); p.EdgeKind(e) == EdgeHidden && p.NodeKinds[t] == NodeObject && p.NodeNames[t] == p.n.promise {
			return t, true
		}
	}
	return 0, false
}

// promiseChainSite blames a chain (newest first): the async function
// whose activation owns the newest promise, else the first application
// frame of the chain's allocation stacks, else the object holding the
// oldest promise. holder names that object and property when known.
func (p *Pass) promiseChainSite(chain []uint32) (site Site, holder string, ok bool) {
	oldest := chain[len(chain)-1]
	holder = p.holder(oldest)
	for _, v := range chain[:min(len(chain), 3)] {
		if a, found := p.promiseOwner(v); found {
			if s, found := p.Loc.Site(a); found && p.appSite(s) {
				return s, holder, true
			}
		}
	}
	for _, v := range chain[1:min(len(chain), 8)] {
		if s, found := p.Loc.AllocationSite(v, p.Opts.IncludeNodeModules); found {
			return s, holder, true
		}
	}
	for e, from := range p.RetainersOf(oldest) {
		if p.EdgeKind(e) == EdgeProperty && p.NodeKinds[from] == NodeObject {
			if s, found := p.Loc.Site(from); found {
				return s, holder, true
			}
		}
	}
	return Site{}, holder, false
}

func (p *Pass) promiseChainSuspect(g *promiseGroup) Suspect {
	for _, v := range g.members {
		p.explain(v)
	}
	s, _ := p.groupSuspect(g.site, g.members, p.retainedOf(g.heads))
	s.RetainedBytes = max(s.RetainedBytes, s.SelfBytes)
	held := ""
	if g.holder != "" {
		held = fmt.Sprintf(" The oldest promise is held by %s.", g.holder)
	}
	s.Message = fmt.Sprintf("Promise-only recursion: %d pending promises (chain depth %d) each wait for the next one — an async function returns a call to itself (return this.next()) instead of looping, so every round adds a promise that is never freed — %s retained.%s",
		len(g.members), g.depth, FormatBytes(s.RetainedBytes), held)
	s.Advice = "Loop instead of returning the recursive call (while (…) { await …; }), or start the next round without returning its promise (setImmediate(() => this.next()))."
	return s
}
