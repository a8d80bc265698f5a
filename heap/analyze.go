package heap

import (
	"cmp"
	"slices"
)

// AnalyzeOptions configures Analyze.
type AnalyzeOptions struct {
	// Baseline summarizes an earlier snapshot of the same process
	// (NewBaseline); when set, the growth detector (LEAK120) compares
	// object ids and per-site counts against it.
	Baseline *Baseline
	// Growth, when non-zero, replaces the growth detector's default
	// thresholds (a CI gate or a test chooses how much growth is a leak).
	Growth GrowthThresholds
	// Graph is the graph of the analyzed snapshot if the caller already
	// built it (NewGraph is the expensive step); nil builds one.
	Graph *Graph
	// IncludeNodeModules lets detectors blame sites under node_modules.
	IncludeNodeModules bool
	// Progress, if set, is called before each step with the step's name,
	// its number (0-based) and the number of steps.
	Progress func(step string, done, total int)
}

// A Detector finds one kind of leak suspect. Like an analysis.Analyzer it
// is a name, a stable code, a doc string and a run function; detectors run
// in the order of Detectors and see what earlier ones explained.
type Detector struct {
	Name string
	Code string
	Doc  string
	Run  func(*Pass) []Suspect
}

// Detectors lists every detector in run order. Specific detectors come
// first so that the generic closure-site detector can skip what they
// already explained.
var Detectors = []*Detector{
	RetainedTimeoutDetector,
	RecursiveAsyncDetector,
	AwaiterChainDetector,
	TimerRetainsDetector,
	ServerNotClosedDetector,
	ClosureSiteDetector,
	GrowthDetector,
}

// Analyze builds the graph (unless opts.Graph is set) and runs every
// detector. Suspects are sorted by retained bytes, largest first.
func Analyze(s *Snapshot, opts AnalyzeOptions) []Suspect {
	if s == nil || s.NodeCount() == 0 {
		return nil
	}
	total := len(Detectors) + 1
	g := opts.Graph
	if g == nil {
		if opts.Progress != nil {
			opts.Progress("graph", 0, total)
		}
		g = NewGraph(s)
	}
	p := newPass(g, opts)
	var out []Suspect
	for i, d := range Detectors {
		if opts.Progress != nil {
			opts.Progress(d.Name, i+1, total)
		}
		found := d.Run(p)
		for j := range found {
			found[j].Detector = d.Name
			if found[j].Code == "" { // a detector may report a more precise code
				found[j].Code = d.Code
			}
			p.reported[siteKeyOf(found[j].Site)] = true
		}
		out = append(out, found...)
	}
	out = foldGrowth(out)
	sortSuspects(out)
	return out
}

// foldGrowth merges a growth suspect into another detector's suspect at the
// same site: one finding that says "2200 closures … (+2000 since the
// baseline)" instead of two about the same line.
func foldGrowth(out []Suspect) []Suspect {
	bySite := map[Site]int{}
	for i, s := range out {
		if s.Code != CodeGrowth {
			bySite[siteKeyOf(s.Site)] = i
		}
	}
	folded := func(s Suspect) bool {
		_, ok := bySite[siteKeyOf(s.Site)]
		return ok && s.Code == CodeGrowth && s.Site.Script != ""
	}
	for _, s := range out {
		if folded(s) {
			t := &out[bySite[siteKeyOf(s.Site)]]
			t.Growth, t.Holder = s.Growth, s.Holder
		}
	}
	return slices.DeleteFunc(out, folded)
}

// sortSuspects orders by retained bytes (desc), then by code and site so
// the output is deterministic.
func sortSuspects(out []Suspect) {
	slices.SortStableFunc(out, func(a, b Suspect) int {
		if c := cmp.Compare(b.RetainedBytes, a.RetainedBytes); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Code, b.Code); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Site.Script, b.Site.Script); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Site.Line, b.Site.Line); c != 0 {
			return c
		}
		return cmp.Compare(a.Site.Column, b.Site.Column)
	})
}

// Pass is what a detector sees: the graph, source locations, the optional
// baseline, and shared state (which nodes earlier detectors explained).
type Pass struct {
	*Graph
	Loc      *Locator
	Baseline *Baseline
	Opts     AnalyzeOptions
	// Version is the Node.js release that wrote the snapshot, read from
	// its process object (zero when the snapshot does not say).
	Version NodeVersion

	n         names
	explained []uint64 // bitset over nodes accounted for by a suspect
	reported  map[Site]bool
	awaits    *awaitGraph // lazily built "who awaits whom" links
	sortKeys  []uint64    // topLevel's scratch
}

func newPass(g *Graph, opts AnalyzeOptions) *Pass {
	n := lookupNames(&g.Strings)
	return &Pass{
		Graph:     g,
		Loc:       newLocator(g.Snapshot, n),
		Baseline:  opts.Baseline,
		Opts:      opts,
		Version:   SnapshotNodeVersion(g.Snapshot),
		n:         n,
		explained: make([]uint64, (g.NodeCount()+63)/64),
		reported:  map[Site]bool{},
	}
}

// explain marks node v as accounted for by a reported suspect.
func (p *Pass) explain(v uint32) { p.explained[v/64] |= 1 << (v % 64) }

// isExplained reports whether an earlier detector accounted for node v.
func (p *Pass) isExplained(v uint32) bool { return p.explained[v/64]&(1<<(v%64)) != 0 }

// siteKeyOf drops the function name so sites compare by position only.
func siteKeyOf(s Site) Site { return Site{Script: s.Script, Line: s.Line, Column: s.Column} }

// isReported reports whether an earlier detector already blamed this site.
func (p *Pass) isReported(s Site) bool { return p.reported[siteKeyOf(s)] }

// appSite reports whether a site is in application code.
func (p *Pass) appSite(s Site) bool { return IsAppScript(s.Script, p.Opts.IncludeNodeModules) }

// heapSize is the total retained by the root (all reachable bytes).
func (p *Pass) heapSize() uint64 {
	if p.hasDominators() {
		return p.Retained.At(p.RootIndex)
	}
	var sum uint64
	for _, b := range p.SelfSizes {
		sum += uint64(b)
	}
	return sum
}

// isNullish reports whether v is null or undefined.
func (p *Pass) isNullish(v uint32) bool {
	switch p.oddballValue(v) {
	case "null", "undefined":
		return true
	}
	return false
}
