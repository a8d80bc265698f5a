package heap

import "fmt"

// minPrototypeUsersBytes is the size from which the prototype-users list of
// v8:10031 is reported on affected versions: ~12k entries, far more than
// the generator functions a program has, so growth rather than use.
const minPrototypeUsersBytes = 96 << 10

// runPrototypeUsers, part of the awaiter-chain detector (LEAK104), reports V8's own leak v8:10031 on Node 11.0 to
// 12.15: the list of %GeneratorPrototype%'s users grows with every
// generator function run (TypeScript __awaiter output) and is never
// compacted. No JavaScript object leaks, so only the version and the size
// of that internal list tell it.
const prototypeUsersDoc = `On Node.js 11.0-12.15 (V8 bug v8:10031, nodejs/node#30753) every generator
function that runs — which is what TypeScript emits for async functions below
--target ES2017, through __awaiter — leaves an entry in a V8-internal
WeakArrayList under %GeneratorPrototype%'s PrototypeInfo that is never
compacted, so memory grows with no JavaScript object to blame. Reported when
the snapshot's Node version has the bug and that list is large, at the
__awaiter helper when the program has one; the fix is to upgrade to 12.16.0.`

func runPrototypeUsers(p *Pass) []Suspect {
	if !BugGeneratorPrototypeUsers.Affects(p.Version) {
		return nil
	}
	info := p.Strings.indexSet("system / PrototypeInfo")
	list, size := none, uint32(0)
	for v := range uint32(p.NodeCount()) {
		if !info[p.NodeNames[v]] {
			continue
		}
		for e := p.FirstEdge[v]; e < p.FirstEdge[v+1]; e++ {
			if t := p.EdgeTo[e]; p.EdgeKinds[e] == EdgeHidden && p.SelfSizes[t] > size {
				list, size = t, p.SelfSizes[t]
			}
		}
	}
	if list == none || size < minPrototypeUsersBytes {
		return nil
	}
	s := Suspect{Count: 1, SelfBytes: uint64(size), RetainedBytes: uint64(size), Path: p.Path(list)}
	if h, ok := p.awaiterClosure(); ok {
		s.Site, _ = p.Loc.Site(h)
		if s.Site.Function == "" {
			s.Site.Function = "__awaiter"
		}
	}
	s.Message = fmt.Sprintf("V8-internal list of %%GeneratorPrototype%%'s users is %s (about %d entries): every generator function run (__awaiter async functions) adds one and this V8 never compacts it. %s",
		FormatBytes(uint64(size)), size/8, bugNote(BugGeneratorPrototypeUsers, p.Version))
	s.Advice = "Upgrade Node.js to 12.16.0 or later; until then compile TypeScript with --target ES2017 or later so async functions are not generators."
	return []Suspect{s}
}

// awaiterClosure finds the __awaiter helper closure (tsc's helper assigned
// to a variable named __awaiter).
func (p *Pass) awaiterClosure() (uint32, bool) {
	if p.n.awaiterHelper == noString {
		return 0, false
	}
	for e := range uint32(p.EdgeCount()) {
		if p.EdgeKinds[e] == EdgeContext && p.EdgeNames[e] == p.n.awaiterHelper && p.NodeKinds[p.EdgeTo[e]] == NodeClosure {
			return p.EdgeTo[e], true
		}
	}
	return 0, false
}
