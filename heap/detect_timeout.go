package heap

import (
	"fmt"
	"slices"
	"strings"
)

// minRetainedTimeouts is how many finished timers from one callback site
// make a suspect: one stale handle on a singleton is noise, a per-request
// handle kept by long-lived objects is the leak.
const minRetainedTimeouts = 10

// RetainedTimeoutDetector finds fired or cleared Timeouts that are still
// referenced and keep their callback or AsyncLocalStorage store alive.
var RetainedTimeoutDetector = &Detector{
	Name: "retained-timeout",
	Code: CodeRetainedTimeout,
	Doc: `Finds Timeout objects that already fired or were cleared (_destroyed is true,
no longer linked in a timer list) but are still referenced by application
objects. A finished timer keeps its callback (and the callback's whole
closure context) and, when created inside AsyncLocalStorage.run, the request's
store alive. Grouped by the callback's source position.`,
	Run: runRetainedTimeout,
}

// none marks an absent callback or store.
const none = ^uint32(0)

type timeoutGroup struct {
	site      Site
	primitive bool // kept only by node's knownTimersById (nodejs/node#53335)
	members   []uint32
	stores    []uint32
	holders   map[string]int
	callback  bool // callbacks still attached (fired, not cleared)
}

func runRetainedTimeout(p *Pass) []Suspect {
	if p.n.timeout == noString {
		return nil
	}
	groups := map[Site]*timeoutGroup{}
	var order []Site
	for v := range uint32(p.NodeCount()) {
		if p.NodeKinds[v] != NodeObject || p.NodeNames[v] != p.n.timeout {
			continue
		}
		cb, store, ok := p.finishedTimeout(v)
		if !ok {
			continue
		}
		holder := p.holder(v)
		primitive := p.inKnownTimers(v)
		if holder == "" && !primitive {
			continue // only the runtime holds it: not an application reference
		}
		if primitive {
			holder = knownTimersHolder
		}
		var site Site
		if cb != none { // a bound callback has no position: its target has
			target, _ := p.unbind(cb)
			site, _ = p.Loc.Site(target)
		}
		if site.Script == "" && store != none {
			site, _ = p.Loc.Site(store)
		}
		key := siteKeyOf(site)
		if primitive {
			key.Function = knownTimersHolder // its own group and code
		}
		g := groups[key]
		if g == nil {
			g = &timeoutGroup{site: site, primitive: primitive, holders: map[string]int{}}
			groups[key] = g
			order = append(order, key)
		}
		g.members = append(g.members, v)
		g.holders[holder]++
		g.callback = g.callback || cb != none
		if store != none {
			g.stores = append(g.stores, store)
		}
	}
	var out []Suspect
	for _, key := range order {
		if g := groups[key]; len(g.members) >= minRetainedTimeouts {
			out = append(out, p.timeoutSuspect(g))
		}
	}
	return out
}

// knownTimersHolder is the holder name of timers kept by node's
// knownTimersById map (internal/timers), where a Timeout goes once it has
// been converted to a primitive (+t, Number(t), a key).
const knownTimersHolder = "knownTimersById"

// inKnownTimers reports whether Timeout v is an element of the object that
// node's timers module holds in its knownTimersById variable.
func (p *Pass) inKnownTimers(v uint32) bool {
	if p.n.knownTimers == noString {
		return false
	}
	for e, from := range p.RetainersOf(v) {
		if p.EdgeKind(e) != EdgeElement {
			continue
		}
		for e2 := range p.RetainersOf(from) {
			if p.EdgeKind(e2) == EdgeContext && p.EdgeNameOrIndex(e2) == p.n.knownTimers {
				return true
			}
		}
	}
	return false
}

// finishedTimeout reports whether Timeout v is destroyed and unlinked, and
// returns its callback closure and ALS store (none when absent). Timers
// that hold neither are harmless and not reported.
func (p *Pass) finishedTimeout(v uint32) (cb, store uint32, ok bool) {
	d, found := p.edgeTo(v, EdgeProperty, p.n.destroyed)
	if !found || p.oddballValue(d) != "true" {
		return 0, 0, false
	}
	for _, link := range [...]uint32{p.n.idlePrev, p.n.idleNext} {
		if t, found := p.edgeTo(v, EdgeProperty, link); found && !p.isNullish(t) {
			return 0, 0, false // still in a timer list
		}
	}
	cb, store = none, none
	if t, found := p.edgeTo(v, EdgeProperty, p.n.onTimeout); found && p.NodeKinds[t] == NodeClosure {
		cb = t
	}
	if t, found := p.resourceStore(v); found {
		store = t
	}
	return cb, store, cb != none || store != none
}

// holder names the application reference that keeps v alive, e.g.
// "Job.timeout", "variable poll" or "Array[…]"; "" when only runtime
// internals (stack roots, handles, internal arrays) reference it.
func (p *Pass) holder(v uint32) string {
	for e, from := range p.RetainersOf(v) {
		switch p.EdgeKind(e) {
		case EdgeProperty:
			if p.NodeKinds[from] == NodeObject {
				return p.Name(from) + "." + p.EdgeName(e)
			}
		case EdgeContext:
			return "variable " + p.EdgeName(e)
		case EdgeElement:
			if p.NodeKinds[from] == NodeObject {
				return p.Name(from) + "[…]"
			}
		case EdgeInternal: // a Map or Set entry: in the table array of the collection
			if c, ok := p.collectionOf(from); ok {
				return p.Name(c) + "[…]"
			}
		}
	}
	return ""
}

// collectionOf returns the Map or Set (any object) whose hash table is the
// array v, reached by its internal "table" edge.
func (p *Pass) collectionOf(v uint32) (uint32, bool) {
	if p.NodeKinds[v] != NodeArray {
		return 0, false
	}
	for e, from := range p.RetainersOf(v) {
		if p.EdgeKind(e) == EdgeInternal && p.EdgeNameOrIndex(e) == p.n.table && p.NodeKinds[from] == NodeObject {
			return from, true
		}
	}
	return 0, false
}

func (p *Pass) timeoutSuspect(g *timeoutGroup) Suspect {
	for _, v := range g.members {
		p.explain(v)
		if cb, _, _ := p.finishedTimeout(v); cb != none {
			p.explain(cb)
		}
	}
	for _, st := range g.stores {
		p.explain(st)
	}
	holder := topHolder(g.holders)
	s, _ := p.groupSuspect(g.site, g.members, p.retainedOf(g.members))
	kept := "its callback"
	if !g.callback {
		kept = "nothing but its store"
	}
	var storeNote string
	if len(g.stores) > 0 {
		st := g.stores[0]
		name := p.Name(st)
		storeNote = fmt.Sprintf(" and its AsyncLocalStorage store (%s)", name)
		if site, ok := p.Loc.Site(st); ok {
			s.Related = append(s.Related, Related{Site: site,
				Note: fmt.Sprintf("AsyncLocalStorage store %s kept alive (%d stores)", name, len(g.stores))})
		}
	}
	if len(g.members) > 0 {
		if site, ok := p.Loc.AllocationSite(g.members[0], p.Opts.IncludeNodeModules); ok {
			s.Related = append(s.Related, Related{Site: site, Note: "timer created here (allocation stack)"})
		}
	}
	if g.primitive {
		return p.primitiveSuspect(s, g, kept+storeNote)
	}
	s.Message = fmt.Sprintf("%d finished setTimeout timers are still referenced (%s); each keeps %s%s alive — %s retained.",
		len(g.members), holder, kept, storeNote, FormatBytes(s.RetainedBytes))
	if len(g.stores) == 0 && p.Version.AtLeast(24, 0, 0) {
		s.Message += " No AsyncLocalStorage store is kept: since Node.js 24 (AsyncContextFrame) a fired timer does not hold the stores."
	}
	s.Advice = timeoutAdvice(holder)
	return s
}

// primitiveSuspect words a group of timers kept by knownTimersById: the
// cause is the conversion to a primitive, and on affected versions a Node
// bug.
func (p *Pass) primitiveSuspect(s Suspect, g *timeoutGroup, kept string) Suspect {
	s.Code = CodeTimerPrimitive
	s.Message = fmt.Sprintf("%d finished timers were converted to a primitive (+t, Number(t), a key) and stay in Node's knownTimersById map after firing; each keeps %s alive — %s retained.",
		len(g.members), kept, FormatBytes(s.RetainedBytes))
	if BugPrimitiveTimers.Affects(p.Version) {
		s.Message += " " + bugNote(BugPrimitiveTimers, p.Version)
	}
	s.Advice = "Keep the Timeout object instead of its number (don't use +t, Number(t), `${t}` or the timer as a key), or call clearTimeout(t) after it fires; upgrading to " + BugPrimitiveTimers.Fixed + " or later also frees them."
	return s
}

// timeoutAdvice tells how to drop the handle, in terms of its holder.
func timeoutAdvice(holder string) string {
	const tail = " in the callback and after clearTimeout, or don't keep the Timeout on a long-lived object."
	switch {
	case strings.HasPrefix(holder, "variable "):
		return "Drop the handle once the timer is done: set " + strings.TrimPrefix(holder, "variable ") + " = null" + tail
	case strings.HasSuffix(holder, "[…]"):
		return "Remove the Timeout from the collection once it has fired or been cleared, or store only what you need (an id, a deadline)."
	case strings.Contains(holder, "."):
		return "Drop the handle once the timer is done: set this." + holder[strings.LastIndexByte(holder, '.')+1:] + " = null" + tail
	}
	return "Drop the reference to the Timeout once it has fired or been cleared."
}

// topHolder returns the most frequent holder (ties broken by name).
func topHolder(h map[string]int) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	best := ""
	for _, k := range keys {
		if best == "" || h[k] > h[best] {
			best = k
		}
	}
	return best
}

// FormatBytes renders a byte count for messages ("2.1 MB", "640 KB").
func FormatBytes(b uint64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(b)/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(b)/(1<<10))
	}
	return fmt.Sprintf("%d B", b)
}
