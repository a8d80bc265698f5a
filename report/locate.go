package report

import (
	"fmt"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/workspace"
)

// Located is a heap suspect resolved to the workspace.
type Located struct {
	Suspect heap.Suspect
	// File is the workspace file of the suspect's site, or "" if the script
	// maps to none. Pos is the position in File (after source maps), or the
	// snapshot position in the script when unmapped.
	File    string
	Pos     Pos
	Related []Related // retainer-path hops and related sites, mapped where possible
}

// Locate resolves every suspect's site, retainer-path hops and related
// sites through m. Hops that do not map into the workspace are left out
// (they are still in Suspect.Path, for hover and JSON).
func Locate(suspects []heap.Suspect, m *workspace.Mapper) []Located {
	out := make([]Located, 0, len(suspects))
	for _, s := range suspects {
		l := Located{Suspect: s, Pos: Pos{s.Site.Line, s.Site.Column}}
		if loc, ok := resolve(m, s.Site); ok {
			l.File, l.Pos = loc.File, Pos{loc.Line, loc.Column}
		}
		for i, h := range s.Path {
			if h.Site == nil {
				continue
			}
			if loc, ok := resolve(m, *h.Site); ok {
				l.Related = append(l.Related, related(loc, h.Site.Script, hopNote(s.Path, i)))
			}
		}
		for _, r := range s.Related {
			if loc, ok := resolve(m, r.Site); ok {
				l.Related = append(l.Related, related(loc, r.Site.Script, r.Note))
			}
		}
		out = append(out, l)
	}
	return out
}

// resolve maps a heap site into the workspace. Node's own scripts never
// map: on Node ≤ 14 they are named "events.js" or "timers.js", and a
// suffix match would put them into a user's src/events.js.
func resolve(m *workspace.Mapper, s heap.Site) (workspace.Location, bool) {
	if heap.IsBuiltinScript(s.Script) {
		return workspace.Location{}, false
	}
	return m.Resolve(s.Script, s.Line, s.Column)
}

// hopNote describes hop i of a retainer path with the node that holds it:
// "retainer path: (array) @5 [0] → Job @73331".
func hopNote(path []heap.Hop, i int) string {
	h := path[i]
	if i == 0 {
		return fmt.Sprintf("retainer path: %s %s", edgeLabel(h.Edge), h.Node)
	}
	return fmt.Sprintf("retainer path: %s %s → %s", path[i-1].Node, edgeLabel(h.Edge), h.Node)
}

func related(loc workspace.Location, script, msg string) Related {
	p := Pos{loc.Line, loc.Column}
	return Related{File: loc.File, Script: script, Range: Range{p, p}, Message: msg}
}

// edgeLabel renders an edge name the way DevTools does: properties with a
// leading dot, elements as [i].
func edgeLabel(e string) string {
	if e == "" {
		return "(edge)"
	}
	if e[0] == '[' || e[0] == '<' {
		return e
	}
	return "." + e
}

// PathString renders a retainer path root first: "(GC roots) → .history Array → [3] Job".
func PathString(path []heap.Hop) string {
	s := ""
	for i, h := range path {
		if i > 0 {
			s += " → "
		}
		if h.Edge != "" {
			s += edgeLabel(h.Edge) + " "
		}
		s += h.Node
	}
	return s
}
