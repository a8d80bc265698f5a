package lsp

import (
	"fmt"
	"runtime/debug"

	"github.com/leaklsp/leaklsp/heap"
)

// analysed is what the server keeps of an analysed snapshot, and what the
// re-open index stores for it (heap.CachedRun): opening the same snapshot
// again, in this server or the next, reads this back instead of parsing
// and analysing.
type analysed struct {
	Nodes    int              `json:"nodes"`
	Edges    int              `json:"edges"`
	Suspects []heap.Suspect   `json:"suspects"`
	Sites    []heap.SiteStats `json:"sites"`
}

// analysedFingerprint names what analyse depends on besides the snapshot
// and the baseline: results stored with other limits are not reused.
var analysedFingerprint = fmt.Sprintf("lsp analysed: sites count>=%d retained>=%d max=%d paths=%d pathSites=%d",
	siteFloorCount, siteFloorBytes, maxSites, sitePaths, pathSites)

// analyse runs the detectors and builds the site table, once per graph.
func analyse(g *heap.Graph, base *heap.Baseline) (analysed, error) {
	// The detectors and the per-site summaries only read the graph, and on
	// a big snapshot each is a core's worth of work (0.33 and 0.56-0.67 s
	// on a 917 MB one): they run side by side.
	type sitesOut struct {
		sites []heap.SiteStats
		err   error
	}
	done := make(chan sitesOut, 1)
	go func() {
		sites, err := safely("summarizing sites", func() ([]heap.SiteStats, error) {
			return heap.Sites(g, SiteTableOptions(base)), nil
		})
		done <- sitesOut{sites, err}
	}()
	suspects := heap.Analyze(g.Snapshot, heap.AnalyzeOptions{Baseline: base, Graph: g})
	out := <-done
	return analysed{Nodes: g.NodeCount(), Edges: g.EdgeCount(), Suspects: suspects, Sites: out.sites}, out.err
}

// indexCache is the server's re-open index cache: Options.Index, else the
// user's (heap.DefaultIndexCache); nil when disabled.
func indexCache(opts Options, log func(string)) *heap.IndexCache {
	if opts.Index != nil {
		return opts.Index
	}
	c, err := heap.DefaultIndexCache()
	if err != nil {
		log(fmt.Sprintf("re-open index off: %v", err))
	}
	return c
}

// writeIndexLater writes a new re-open index (if write is not nil) in the
// background, once the diagnostics are out and the reply is on its way:
// nobody waits for it. The next load or a close cancels it (the load's
// stop channel), and the graph it holds is freed when it ends.
func (s *Server) writeIndexLater(write func()) {
	if write == nil {
		return
	}
	s.indexWrites.Go(func() {
		if _, err := safely("writing the re-open index", func() (struct{}, error) { write(); return struct{}{}, nil }); err != nil {
			s.log.Warn("re-open index", "err", err)
		}
		debug.FreeOSMemory()
	})
}
