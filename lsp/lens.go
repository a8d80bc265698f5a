package lsp

import (
	"context"
	"strconv"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/report"
)

// CmdShowRetainers is the client command a heap CodeLens runs: the editor
// shows the retainers of the site at [{"uri", "position"}] (VS Code: the
// Leak Suspects view; Neovim: :LeakRetainers).
const CmdShowRetainers = "leaklsp.showRetainers"

// LensSettings choose which sites get a CodeLens ("lens" in the settings):
// a site qualifies with MinCount live objects, MinRetainedBytes retained,
// or MinNew objects new since the baseline, so a big file shows the few
// sites that matter rather than one lens per function.
type LensSettings struct {
	Enabled          bool   `json:"enabled"`
	MinCount         int    `json:"minCount"`
	MinRetainedBytes uint64 `json:"minRetainedBytes"`
	MinNew           int    `json:"minNew"`
	// MaxPerFile keeps the lenses of the sites that retain most (0: all).
	MaxPerFile int `json:"maxPerFile"`
	// Style is how the counts show: "codeLens" (the default, a line above
	// the site) or "inlayHint" (at the end of the site's line, inlay.go).
	Style string `json:"style"`
}

func defaultLensSettings() LensSettings {
	return LensSettings{Enabled: true, MinCount: 100, MinRetainedBytes: 1 << 20, MinNew: 100, MaxPerFile: 200}
}

func (l LensSettings) shows(st *heap.SiteStats) bool {
	return st.Count >= max(l.MinCount, 1) || st.RetainedBytes >= max(l.MinRetainedBytes, 1) ||
		st.New > 0 && st.New >= max(l.MinNew, 1)
}

// CodeLens puts "1,350 closures · 1.6 MB retained" above every site of
// the document the loaded snapshot has enough live objects for (unless
// the settings ask for inlay hints instead, inlay.go).
func (s *Server) CodeLens(_ context.Context, p *protocol.CodeLensParams) ([]protocol.CodeLens, error) {
	path, ok := pathOf(p.TextDocument.URI)
	if !ok {
		return nil, nil
	}
	s.mu.Lock()
	h, ls := s.heap, s.settings.Lens
	s.mu.Unlock()
	if ls.inlay() {
		return nil, nil
	}
	shown := h.shownSites(path, ls)
	out := make([]protocol.CodeLens, len(shown))
	for i, ps := range shown {
		out[i] = ps.lens
	}
	return out, nil
}

// shownSites are the sites of a file that get a lens or hint: those that
// meet a threshold, most retained first, at most MaxPerFile.
func (h *heapState) shownSites(path string, ls LensSettings) []*placedSite {
	if h == nil || !ls.Enabled {
		return nil
	}
	list, order := h.sitesByFile[path], h.lensOrder[path]
	limit := len(list)
	if ls.MaxPerFile > 0 {
		limit = min(limit, ls.MaxPerFile)
	}
	out := make([]*placedSite, 0, limit)
	for _, i := range order { // most retained first, so the cap keeps the biggest
		if len(out) == limit {
			break
		}
		if ls.shows(list[i].stat) {
			out = append(out, &list[i])
		}
	}
	return out
}

// siteLens is the CodeLens of a site: its title, and the command that
// shows its retainers with the site's position as argument.
func siteLens(st *heap.SiteStats, u uri.URI, line, col int, baseline bool) protocol.CodeLens {
	pos := protocol.Position{Line: uint32(max(line, 0)), Character: uint32(max(col, 0))}
	arg := `{"uri":` + strconv.Quote(string(u)) + `,"position":{"line":` + strconv.Itoa(line) + `,"character":` + strconv.Itoa(col) + `}}`
	return protocol.CodeLens{
		Range: protocol.Range{Start: pos, End: pos},
		Command: protocol.Command{
			Title:     lensTitle(st, baseline),
			Command:   CmdShowRetainers,
			Arguments: []protocol.LSPAny{protocol.LSPAny(arg)},
		},
	}
}

// lensTitle is "1,350 closures · 1.6 MB retained · +1,200 since baseline".
func lensTitle(st *heap.SiteStats, baseline bool) string {
	t := siteNoun(st) + " · " + report.HumanBytes(st.RetainedBytes) + " retained"
	if baseline && st.New > 0 {
		t += " · +" + grouped(st.New) + " since baseline"
	}
	return t
}

// siteNoun counts a site's objects by what they are.
func siteNoun(st *heap.SiteStats) string {
	n := grouped(st.Count)
	switch st.Kind {
	case heap.SiteClosures:
		return n + " " + plural(st.Count, "closure")
	case heap.SiteTimers:
		return n + " " + plural(st.Count, "timer")
	case heap.SiteAllocations:
		return n + " " + plural(st.Count, "object") + " allocated here"
	}
	if st.Name != "" {
		return n + " " + st.Name + " " + plural(st.Count, "object")
	}
	return n + " " + plural(st.Count, "object")
}

func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}

// grouped writes n with thousands separators: 1,350.
func grouped(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
