package lsp

import (
	"cmp"
	"slices"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/workspace"
)

// The site table kept with a loaded snapshot: what the heap holds per
// source site, for CodeLens, hover and the leaklsp/* requests. The
// snapshot itself is dropped after the load (it can be GBs); the table is
// bounded by these limits.
const (
	siteFloorCount = 10       // keep sites with at least this many objects…
	siteFloorBytes = 64 << 10 // …or retaining this much
	maxSites       = 20000    // the largest sites
	pathSites      = 2000     // of which this many get retainer paths
	sitePaths      = 3        // distinct retainer paths per site
)

// SiteTableOptions is how the server summarizes a snapshot's sites (the
// limits above); bench/heapbench times the same call.
func SiteTableOptions(base *heap.Baseline) heap.SitesOptions {
	return heap.SitesOptions{Baseline: base, MinCount: siteFloorCount, MinRetained: siteFloorBytes,
		Max: maxSites, Paths: sitePaths, PathSites: pathSites}
}

// placedSite is a heap site mapped to a workspace file position.
type placedSite struct {
	stat      *heap.SiteStats
	file      string
	line, col int
	paths     [][]placedHop
	// lens is the CodeLens, made once here: a 5,000-line file can have
	// thousands of sites and a lens request must stay in milliseconds.
	lens protocol.CodeLens
}

// placedHop is one hop of a retainer path, with its source position when
// the hop's object has one in the workspace.
type placedHop struct {
	heap.Hop
	loc *Location
}

// Location is a position in a workspace file (an LSP Location).
type Location struct {
	URI   uri.URI        `json:"uri"`
	Range protocol.Range `json:"range"`
}

func locationAt(file string, line, col int) *Location {
	p := protocol.Position{Line: uint32(max(line, 0)), Character: uint32(max(col, 0))}
	return &Location{URI: uri.File(file), Range: protocol.Range{Start: p, End: p}}
}

// placeSites maps sites through m, by file and line, and orders each
// file's sites by retained size for the lens cap. baseline says whether
// the lens titles count objects new since a baseline.
func placeSites(sites []heap.SiteStats, m *workspace.Mapper, baseline bool) (map[string][]placedSite, map[string][]int32) {
	out := map[string][]placedSite{}
	for i := range sites {
		st := &sites[i]
		loc, ok := m.Resolve(st.Site.Script, st.Site.Line, st.Site.Column)
		if !ok {
			continue
		}
		ps := placedSite{stat: st, file: loc.File, line: loc.Line, col: loc.Column}
		ps.lens = siteLens(st, uri.File(loc.File), loc.Line, loc.Column, baseline)
		for _, path := range st.Paths {
			ps.paths = append(ps.paths, placePath(path, m))
		}
		out[loc.File] = append(out[loc.File], ps)
	}
	order := make(map[string][]int32, len(out))
	for f, list := range out {
		slices.SortFunc(list, func(a, b placedSite) int {
			if c := cmp.Compare(a.line, b.line); c != 0 {
				return c
			}
			return cmp.Compare(b.stat.RetainedBytes, a.stat.RetainedBytes)
		})
		order[f] = retainedOrder(list)
	}
	return out, order
}

// retainedOrder returns the indexes of list, most retained first.
func retainedOrder(list []placedSite) []int32 {
	idx := make([]int32, len(list))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int { return cmp.Compare(list[b].stat.RetainedBytes, list[a].stat.RetainedBytes) })
	return idx
}

func placePath(path []heap.Hop, m *workspace.Mapper) []placedHop {
	out := make([]placedHop, len(path))
	for i, h := range path {
		out[i].Hop = h
		if h.Site == nil {
			continue
		}
		if loc, ok := m.Resolve(h.Site.Script, h.Site.Line, h.Site.Column); ok {
			out[i].loc = locationAt(loc.File, loc.Line, loc.Column)
		}
	}
	return out
}

// sitesOnLine returns the sites of a file that start on line (binary
// search: the lists are sorted by line).
func sitesOnLine(list []placedSite, line int) []placedSite {
	i, _ := slices.BinarySearchFunc(list, line, func(s placedSite, l int) int { return cmp.Compare(s.line, l) })
	j := i
	for j < len(list) && list[j].line == line {
		j++
	}
	return list[i:j]
}

// heapNow returns the loaded heap state, nil if none.
func (s *Server) heapNow() *heapState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.heap
}
