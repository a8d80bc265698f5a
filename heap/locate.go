package heap

import (
	"sort"
	"strings"
)

// Locator maps nodes to source positions. Build it once per snapshot with
// NewLocator; lookups do not allocate except for the returned strings.
type Locator struct {
	s       *Snapshot
	n       names
	scripts map[uint32]string // script id -> URL or path
}

// NewLocator resolves script ids to names by walking, for the first closure
// seen of each script, closure -shared-> SharedFunctionInfo
// -script_or_debug_info|script-> Script. V8 writes no id on Script nodes, so
// this is the only way to name a location's script.
func NewLocator(s *Snapshot) *Locator {
	return newLocator(s, lookupNames(&s.Strings))
}

func newLocator(s *Snapshot, n names) *Locator {
	l := &Locator{s: s, n: n, scripts: map[uint32]string{}}
	tried := map[uint32]int{}
	for _, loc := range s.Locations {
		if _, ok := l.scripts[loc.ScriptID]; ok || int(loc.Node) >= s.NodeCount() {
			continue
		}
		// A script's SFIs may point at debug info instead of the Script;
		// try a few closures before giving up on that id.
		if s.NodeKinds[loc.Node] != NodeClosure || tried[loc.ScriptID] > 8 {
			continue
		}
		tried[loc.ScriptID]++
		if name, ok := l.scriptOf(loc.Node); ok {
			l.scripts[loc.ScriptID] = name
		}
	}
	return l
}

// scriptOf follows closure -> SFI -> Script and returns the script's name.
func (l *Locator) scriptOf(closure uint32) (string, bool) {
	s := l.s
	sfi, ok := s.edgeTo(closure, EdgeInternal, l.n.shared)
	if !ok {
		return "", false
	}
	script, ok := s.edgeTo(sfi, EdgeInternal, l.n.scriptOrDebugInfo)
	if !ok {
		script, ok = s.edgeTo(sfi, EdgeInternal, l.n.script)
	}
	if !ok || s.NodeKinds[script] != NodeCode {
		return "", false
	}
	name := strings.TrimPrefix(s.Name(script), "system / Script / ")
	if name == "" || name == "system / Script" {
		if str, ok := s.edgeTo(script, EdgeInternal, l.n.name); ok && s.NodeKinds[str] == NodeString {
			name = s.Name(str)
		}
	}
	if name == "system / Script" {
		name = ""
	}
	return name, name != ""
}

// ScriptName returns the URL or path of a script id, "" when unknown.
func (l *Locator) ScriptName(id uint32) string { return l.scripts[id] }

// Location returns the raw location record of node n (binary search over
// the sorted locations section).
func (l *Locator) Location(n uint32) (Location, bool) {
	locs := l.s.Locations
	i := sort.Search(len(locs), func(i int) bool { return locs[i].Node >= n })
	if i < len(locs) && locs[i].Node == n {
		return locs[i], true
	}
	return Location{}, false
}

// SiteLocation is like Location but also resolves generators and async
// activations without their own record through their `function` closure.
func (l *Locator) SiteLocation(n uint32) (Location, bool) {
	if loc, ok := l.Location(n); ok {
		return loc, true
	}
	if fn, ok := l.s.edgeTo(n, EdgeInternal, l.n.function); ok {
		return l.Location(fn)
	}
	return Location{}, false
}

// Site returns the source position of node n: the function start for
// closures, generators and async activations, the constructor start for
// objects of script classes.
func (l *Locator) Site(n uint32) (Site, bool) {
	loc, ok := l.SiteLocation(n)
	if !ok {
		return Site{}, false
	}
	return l.siteOf(loc, l.functionName(n)), true
}

func (l *Locator) siteOf(loc Location, fn string) Site {
	return Site{Script: l.scripts[loc.ScriptID], Line: int(loc.Line), Column: int(loc.Column), Function: fn}
}

// functionName names the function a node stands for: the closure's own
// name, the generator's function, or the constructor of an object.
func (l *Locator) functionName(n uint32) string {
	s := l.s
	if fn, ok := s.edgeTo(n, EdgeInternal, l.n.function); ok {
		n = fn
	}
	switch s.NodeKinds[n] {
	case NodeClosure, NodeObject:
		return s.Name(n)
	}
	return ""
}
