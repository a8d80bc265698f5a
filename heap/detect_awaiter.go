package heap

import "fmt"

// AwaiterChainDetector finds recursive generator chains driven by
// TypeScript's __awaiter helper (or co): the down-levelled form of a
// recursive async function.
var AwaiterChainDetector = &Detector{
	Name: "awaiter-chain",
	Code: CodeAwaiterChain,
	Doc: `Finds long chains of suspended generator objects of the same function*,
each resumed by __awaiter's fulfilled/rejected closures when the next level's
promise settles. This is what tsc emits for async functions with --target
below ES2017 (and what co-style code looks like): a recursive await that never
settles keeps every level's generator, closures and promises alive. Reported at
the generator function; the TypeScript position follows from the source map.
` + prototypeUsersDoc,
	Run: func(p *Pass) []Suspect { return append(p.chainSuspects(false), runPrototypeUsers(p)...) },
}

func (p *Pass) awaiterChainSuspect(g *chainGroup) Suspect {
	ag := p.awaitGraph()
	s, members, depth := p.chainSuspect(g, func(v uint32) {
		if ctx, ok := ag.via[v]; ok {
			p.explainScopeClosures(ctx)
		}
	})
	helper := "__awaiter"
	var scope uint32
	for _, v := range members {
		if ctx, ok := ag.via[v]; ok {
			scope = ctx
			break
		}
	}
	if h, ok := p.awaiterHelper(scope); ok {
		hs, _ := p.Loc.Site(h)
		if hs.Function == "" {
			hs.Function = "__awaiter"
		}
		s.Related = append(s.Related, Related{Site: hs, Note: "__awaiter helper (TypeScript down-levelled async/await) that drives the generators"})
	} else {
		helper = "a co-style driver"
	}
	if h, ok := ag.handler[members[len(members)-1]]; ok {
		if hs, ok := p.Loc.Site(h); ok {
			s.Related = append(s.Related, Related{Site: hs, Note: "__awaiter's fulfilled/rejected closures resume each level when the next one settles"})
		}
	}
	s.Related = append(s.Related, p.chainOrigin(g)...)
	s.Message = fmt.Sprintf("Recursive await through %s: %d suspended generators of this function* (chain depth %d) each wait for the next level and never settle — %s retained. This is TypeScript output for --target below ES2017 (or co-style code); the async method in the .ts source maps back to this function*.",
		helper, s.Count, depth, FormatBytes(s.RetainedBytes))
	s.Advice = "Don't await the recursive call: turn the recursion into a loop or start the next run without awaiting it. Compiling with --target ES2017 or later keeps native async functions (same leak, clearer stacks)."
	return s
}

// explainScopeClosures marks the closures created in a generator's
// __awaiter scope (adopt) and in the executor scope nested in it
// (fulfilled, rejected, step), so the closure-site detector does not
// report them again.
func (p *Pass) explainScopeClosures(ctx uint32) {
	for e, from := range p.RetainersOf(ctx) {
		switch {
		case p.NodeKinds[from] == NodeClosure && p.named(e, p.n.context):
			p.explain(from)
		case p.NodeNames[from] == p.n.sysContext && p.named(e, p.n.previous):
			for e2, c := range p.RetainersOf(from) {
				if p.NodeKinds[c] == NodeClosure && p.named(e2, p.n.context) {
					p.explain(c)
				}
			}
		}
	}
}

// awaiterHelper finds tsc's __awaiter function: a variable named __awaiter
// in a scope enclosing the generator's __awaiter scope.
func (p *Pass) awaiterHelper(ctx uint32) (uint32, bool) {
	if ctx == 0 {
		return 0, false
	}
	for hops := 0; hops < 2*maxContextHops && p.NodeNames[ctx] == p.n.sysContext; hops++ {
		if h, ok := p.edgeTo(ctx, EdgeContext, p.n.awaiterHelper); ok && p.NodeKinds[h] == NodeClosure {
			return h, true
		}
		prev, ok := p.edgeTo(ctx, EdgeInternal, p.n.previous)
		if !ok {
			break
		}
		ctx = prev
	}
	return 0, false
}
