package heap

import "strings"

// maxTraceDepth bounds a walk up the allocation trace tree, in case a
// malformed file links trace nodes in a cycle.
const maxTraceDepth = 512

// AllocationStack returns the allocation stack of node n, innermost frame
// first, from the trace tree (snapshots taken with --track-heap-objects).
// Sites are converted to the 0-based positions used everywhere else.
func (l *Locator) AllocationStack(n uint32) []Site {
	var out []Site
	l.walkTrace(n, func(f *TraceFunction) bool {
		out = append(out, l.traceSite(f))
		return true
	})
	return out
}

// AllocationSite returns the first application frame of node n's allocation
// stack: frames without a script (builtins) and node: internals are skipped,
// so a Timeout made by setTimeout blames its caller.
func (l *Locator) AllocationSite(n uint32, includeNodeModules bool) (Site, bool) {
	var site Site
	found := false
	l.walkTrace(n, func(f *TraceFunction) bool {
		name := l.s.Strings.Get(f.ScriptName)
		if !IsAppScript(name, includeNodeModules) || f.Line == 0 {
			return true
		}
		site, found = l.traceSite(f), true
		return false
	})
	return site, found
}

func (l *Locator) walkTrace(n uint32, visit func(*TraceFunction) bool) {
	s := l.s
	if int(n) >= len(s.TraceIDs) || len(s.TraceNodes) == 0 {
		return
	}
	id := s.TraceIDs[n]
	for depth := 0; id != 0 && depth < maxTraceDepth; depth++ {
		tn, ok := s.TraceNodes[id]
		if !ok {
			return
		}
		if int(tn.Function) < len(s.TraceFunctions) && !visit(&s.TraceFunctions[tn.Function]) {
			return
		}
		id = tn.Parent
	}
}

// traceSite converts a trace function's 1-based position (0 = unknown).
func (l *Locator) traceSite(f *TraceFunction) Site {
	site := Site{
		Script:   l.s.Strings.Get(f.ScriptName),
		Function: strings.TrimSpace(l.s.Strings.Get(f.Name)),
	}
	if f.Line > 0 {
		site.Line = int(f.Line) - 1
	}
	if f.Column > 0 {
		site.Column = int(f.Column) - 1
	}
	return site
}
