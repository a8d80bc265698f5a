package heap

import (
	"bytes"
	"regexp"
	"strconv"
)

// specialStrings are the string-table entries DevTools' rules key on,
// found in one pass over the strings.
type specialStrings struct {
	// Node names (string indexes, ^0 if absent).
	nativeContext, descriptors, extData uint32
	// Edge names.
	sloppyFn uint32
	weakMaps weakMapNames
}

func findSpecialStrings(s *Snapshot) *specialStrings {
	sp := &specialStrings{nativeContext: ^uint32(0), descriptors: ^uint32(0), extData: ^uint32(0), sloppyFn: ^uint32(0)}
	pairByText := map[string]uint32{}
	t := &s.Strings
	for i := range t.Len() {
		str := t.Arena[t.Offsets[i]:t.Offsets[i+1]]
		switch string(str) { // no allocation: the compiler compares in place
		case "system / NativeContext":
			sp.nativeContext = uint32(i)
		case "(map descriptors)":
			sp.descriptors = uint32(i)
		case "system / ExternalStringData":
			sp.extData = uint32(i)
		case "sloppy_function_map":
			sp.sloppyFn = uint32(i)
		default:
			sp.weakMaps.add(i, t.Len(), str, pairByText)
		}
	}
	return sp
}

// weakMapNames recognizes V8's ephemeron edge names,
// "<n> / part of key (K @1) -> value (V @2) pair in WeakMap (table @3)":
// a WeakMap value has two such edges, from the key and from the table,
// whose names differ only in <n>. It knows, per string index, the table id
// and a pair number shared by both names.
type weakMapNames struct {
	bits    []uint64          // bitset over string indexes: an ephemeron edge name
	tableOf map[uint32]uint32 // string index -> table id
	pairOf  map[uint32]uint32 // string index -> pair number, 0..pairs-1
	pairs   int
}

// ephemeronName is DevTools' pattern (HeapSnapshot.tryParseWeakMapEdgeName),
// so that exactly the same names count.
var ephemeronName = regexp.MustCompile(`^\d+( / part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\))$`)

// add records string i if it is an ephemeron edge name; strings is the
// table's length and pairByText the pair numbers so far.
func (w *weakMapNames) add(i, strings int, str []byte, pairByText map[string]uint32) {
	if !bytes.Contains(str, []byte(" pair in WeakMap (table @")) {
		return // cheap filter: the regexp runs on ephemeron names only
	}
	m := ephemeronName.FindSubmatch(str)
	if m == nil {
		return
	}
	id, err := strconv.ParseUint(string(m[2]), 10, 32)
	if err != nil {
		return
	}
	if w.bits == nil {
		w.bits = make([]uint64, (strings+63)/64)
		w.tableOf, w.pairOf = map[uint32]uint32{}, map[uint32]uint32{}
	}
	pair, ok := pairByText[string(m[1])]
	if !ok {
		pair = uint32(len(pairByText))
		pairByText[string(m[1])] = pair
	}
	w.bits[i/64] |= 1 << (i % 64)
	w.tableOf[uint32(i)], w.pairOf[uint32(i)] = uint32(id), pair
	w.pairs = len(pairByText)
}

// is reports whether string index n is an ephemeron edge name.
func (w *weakMapNames) is(n uint32) bool {
	return int(n/64) < len(w.bits) && w.bits[n/64]&(1<<(n%64)) != 0
}

// table returns the WeakMap table id named by ephemeron edge name n.
func (w *weakMapNames) table(n uint32) (uint32, bool) {
	if !w.is(n) {
		return 0, false
	}
	return w.tableOf[n], true
}
