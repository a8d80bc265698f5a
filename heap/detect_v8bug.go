package heap

import "fmt"

// minPrototypeUsersBytes is the size from which the prototype-users list of
// v8:10031 is reported on affected versions: ~12k entries, far more than
// the generator functions a program has, so growth rather than use.
const minPrototypeUsersBytes = 96 << 10

// runPrototypeUsers, part of the awaiter-chain detector (LEAK104),
// reports V8's own leak v8:10031 on Node 11.0 to 12.15: the list of %GeneratorPrototype%'s users grows with every
// generator function run (TypeScript __awaiter output) and is never
// compacted. No JavaScript object leaks, so only the version and the size
// of that internal list tell it.
const prototypeUsersDoc = `On Node.js 11.0-12.15 (V8 bug v8:10031, nodejs/node#30753) every generator
function that runs — which is what TypeScript emits for async functions below
--target ES2017, through __awaiter — leaves an entry in a V8-internal
WeakArrayList under %GeneratorPrototype%'s PrototypeInfo that is never
compacted, so memory grows with no JavaScript object to blame. Reported when
the snapshot's Node version has the bug and that list is large (with a
baseline, the message gives its growth), or, when the snapshot does not say
its Node version, when the list at least doubled (by 96 KB or more) since a
baseline snapshot of the same process; at the __awaiter helper when the
program has one. The fix is to upgrade to 12.16.0.`

func runPrototypeUsers(p *Pass) []Suspect {
	list, size := prototypeUsersList(p.Snapshot)
	if list == none || size < minPrototypeUsersBytes {
		return nil
	}
	affected := BugGeneratorPrototypeUsers.Affects(p.Version)
	var before uint32
	grew := false
	if p.Baseline.hasSummary() {
		before = p.Baseline.prototypeUsers
		grew = size >= 2*before && size-before >= minPrototypeUsersBytes
	}
	// Between full GCs the list's capacity grows on fixed versions too
	// (measured on 12.16.0: 165 KB -> 371 KB over 40000 calls), so growth
	// alone blames V8 only when the snapshot does not say its version.
	if !affected && (!grew || p.Version.Known()) {
		return nil
	}
	s := Suspect{Count: 1, SelfBytes: uint64(size), RetainedBytes: uint64(size), Path: p.Path(list)}
	if h, ok := p.awaiterClosure(); ok {
		s.Site, _ = p.Loc.Site(h)
		if s.Site.Function == "" {
			s.Site.Function = "__awaiter"
		}
	}
	growth := ""
	if p.Baseline.hasSummary() {
		growth = fmt.Sprintf(", up from %s at the baseline", FormatBytes(uint64(before)))
	}
	s.Message = fmt.Sprintf("V8-internal list of %%GeneratorPrototype%%'s users is %s (about %d entries%s): every generator function run (__awaiter async functions) adds one and this V8 never compacts it.",
		FormatBytes(uint64(size)), size/8, growth)
	if affected {
		s.Message += " " + bugNote(BugGeneratorPrototypeUsers, p.Version)
	} else {
		s.Message += " This is the shape of V8 bug " + BugGeneratorPrototypeUsers.ID + " (fixed in " + BugGeneratorPrototypeUsers.Fixed + "); the snapshot's Node version is " + p.Version.String() + "."
	}
	s.Advice = "Upgrade Node.js to 12.16.0 or later; until then compile TypeScript with --target ES2017 or later so async functions are not generators."
	return []Suspect{s}
}

// prototypeUsersList returns the largest array hanging off a
// PrototypeInfo by a hidden edge — its prototype-users WeakArrayList
// (named "system" up to V8 7.x, "system / WeakArrayList" later) — and its
// size; none when the snapshot has no PrototypeInfo.
func prototypeUsersList(s *Snapshot) (list, size uint32) {
	info := s.Strings.indexSet("system / PrototypeInfo")
	list = none
	for v := range uint32(s.NodeCount()) {
		if !info[s.NodeNames[v]] {
			continue
		}
		for e := s.FirstEdge[v]; e < s.FirstEdge[v+1]; e++ {
			if t := s.EdgeTo(e); s.EdgeKind(e) == EdgeHidden && s.SelfSizes[t] > size {
				list, size = t, s.SelfSizes[t]
			}
		}
	}
	return list, size
}

// awaiterClosure finds the __awaiter helper closure (tsc's helper assigned
// to a variable named __awaiter).
func (p *Pass) awaiterClosure() (uint32, bool) {
	if p.n.awaiterHelper == noString {
		return 0, false
	}
	for e := range uint32(p.EdgeCount()) {
		if p.EdgeKind(e) == EdgeContext && p.EdgeNameOrIndex(e) == p.n.awaiterHelper && p.NodeKinds[p.EdgeTo(e)] == NodeClosure {
			return p.EdgeTo(e), true
		}
	}
	return 0, false
}
