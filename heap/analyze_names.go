package heap

// noString marks a well-known string that does not occur in a snapshot; no
// edge or node name can equal it.
const noString = ^uint32(0)

// names holds the string-table indexes of the edge and node names the
// detectors match on. V8 deduplicates the string table, so comparing indexes
// is exact and avoids decoding strings in hot loops.
type names struct {
	shared, scriptOrDebugInfo, script, name         uint32
	function, context, receiver, paramsAndRegisters uint32
	reactionsOrResult, extension, previous          uint32
	proto                                           uint32
	idlePrev, idleNext, onTimeout, destroyed        uint32
	resourceStore, symbolAnon                       uint32
	boundFunction, boundThis, table                 uint32
	timeout, promise, promiseReaction, sysContext   uint32
	oddball, awaiterHelper, handle, knownTimers     uint32
	oddballs                                        map[uint32]bool // V8 13+ oddball names
}

// lookupNames resolves every well-known name in one pass over the string
// table (no per-string allocation: the map lookup converts in place).
func lookupNames(t *Strings) names {
	n := names{}
	want := map[string]*uint32{
		"shared": &n.shared, "script_or_debug_info": &n.scriptOrDebugInfo, "script": &n.script, "name": &n.name,
		"function": &n.function, "context": &n.context, "receiver": &n.receiver,
		"parameters_and_registers": &n.paramsAndRegisters,
		"reactions_or_result":      &n.reactionsOrResult, "extension": &n.extension, "previous": &n.previous,
		"__proto__": &n.proto,
		"_idlePrev": &n.idlePrev, "_idleNext": &n.idleNext, "_onTimeout": &n.onTimeout, "_destroyed": &n.destroyed,
		"<symbol kResourceStore>": &n.resourceStore, "<symbol>": &n.symbolAnon,
		"bound_function": &n.boundFunction, "bound_this": &n.boundThis, "table": &n.table,
		"Timeout": &n.timeout, "Promise": &n.promise, "system / PromiseReaction": &n.promiseReaction,
		"system / Context": &n.sysContext, "system / Oddball": &n.oddball,
		"__awaiter": &n.awaiterHelper, "_handle": &n.handle, "knownTimersById": &n.knownTimers,
	}
	for _, p := range want {
		*p = noString
	}
	found := 0
	for i := 0; i < t.Len() && found < len(want); i++ {
		b := t.Arena[t.Offsets[i]:t.Offsets[i+1]]
		if p, ok := want[string(b)]; ok && *p == noString {
			*p = uint32(i)
			found++
		}
	}
	n.oddballs = t.indexSet("true", "false", "null", "undefined")
	return n
}

// hasPrefix reports whether string i starts with prefix, without
// allocating (hot loops test every node's name).
func (t *Strings) hasPrefix(i uint32, prefix string) bool {
	if int(i)+1 >= len(t.Offsets) {
		return false
	}
	b := t.Arena[t.Offsets[i]:t.Offsets[i+1]]
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == prefix
}

// indexSet returns the string indexes of the given strings (absent ones
// are left out), for matching node names by index.
func (t *Strings) indexSet(strs ...string) map[uint32]bool {
	want := map[string]bool{}
	for _, s := range strs {
		want[s] = true
	}
	out := map[uint32]bool{}
	for i := 0; i < t.Len() && len(out) < len(want); i++ {
		if want[string(t.Arena[t.Offsets[i]:t.Offsets[i+1]])] {
			out[uint32(i)] = true
		}
	}
	return out
}

// indexesOf returns the string index of each of strs (noString when
// absent) in one pass over the table.
func (t *Strings) indexesOf(strs ...string) []uint32 {
	want := make(map[string]int, len(strs))
	out := make([]uint32, len(strs))
	for i, s := range strs {
		want[s] = i
		out[i] = noString
	}
	for i, found := 0, 0; i < t.Len() && found < len(strs); i++ {
		if j, ok := want[string(t.Arena[t.Offsets[i]:t.Offsets[i+1]])]; ok && out[j] == noString {
			out[j] = uint32(i)
			found++
		}
	}
	return out
}

// setOf is the set of the given string indexes, without noString.
func setOf(idx ...uint32) map[uint32]bool {
	out := map[uint32]bool{}
	for _, i := range idx {
		if i != noString {
			out[i] = true
		}
	}
	return out
}

// named reports whether edge e has a string name equal to string index name
// (element and hidden edges carry numbers, never names).
func (s *Snapshot) named(e uint32, name uint32) bool {
	k := s.EdgeKind(e)
	return name != noString && k != EdgeElement && k != EdgeHidden && s.EdgeNameOrIndex(e) == name
}

// edgeTo returns the target of n's first edge of kind k named name.
func (s *Snapshot) edgeTo(n uint32, k EdgeKind, name uint32) (uint32, bool) {
	if name == noString {
		return 0, false
	}
	for e := s.FirstEdge[n]; e < s.FirstEdge[n+1]; e++ {
		if s.EdgeKind(e) == k && s.EdgeNameOrIndex(e) == name {
			return s.EdgeTo(e), true
		}
	}
	return 0, false
}
