package lsp

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/leaklsp/leaklsp/heap"
)

// Custom requests over the loaded snapshot (docs/lsp-requests.md). Each
// answers {"snapshot": ""} when no snapshot is loaded.
const (
	MethodSuspects  = "leaklsp/suspects"
	MethodRetainers = "leaklsp/retainers"
	MethodSummary   = "leaklsp/summary"
)

// HopInfo is one hop of a retainer path: the edge, the object it leads
// to, and the object's source position in the workspace when known.
type HopInfo struct {
	Edge     string    `json:"edge"`
	Node     string    `json:"node"`
	NodeID   uint32    `json:"nodeId"`
	Location *Location `json:"location,omitempty"`
}

// SuspectInfo is one leak suspect of leaklsp/suspects.
type SuspectInfo struct {
	Code          string    `json:"code"`
	Message       string    `json:"message"`
	Count         int       `json:"count"`
	SelfBytes     uint64    `json:"selfBytes"`
	RetainedBytes uint64    `json:"retainedBytes"`
	Growth        int       `json:"growth,omitempty"`
	Script        string    `json:"script"`             // as the snapshot names it
	Location      *Location `json:"location,omitempty"` // in the workspace, when mapped
	Path          []HopInfo `json:"path"`
}

// SuspectsResult is the reply of leaklsp/suspects.
type SuspectsResult struct {
	Snapshot string        `json:"snapshot"`
	Baseline string        `json:"baseline,omitempty"`
	Suspects []SuspectInfo `json:"suspects"`
}

// SiteInfo is one source site with live objects.
type SiteInfo struct {
	Kind          heap.SiteKind `json:"kind"`
	Name          string        `json:"name"`
	Label         string        `json:"label"` // "1,350 closures · 1.6 MB retained"
	Count         int           `json:"count"`
	New           int           `json:"new,omitempty"`
	SelfBytes     uint64        `json:"selfBytes"`
	RetainedBytes uint64        `json:"retainedBytes"`
	Location      *Location     `json:"location"`
	Paths         [][]HopInfo   `json:"paths,omitempty"`
}

// RetainersResult is the reply of leaklsp/retainers: the sites on the
// requested line with their retainer paths.
type RetainersResult struct {
	Snapshot string     `json:"snapshot"`
	Sites    []SiteInfo `json:"sites"`
}

// SummaryParams select the grouping of leaklsp/summary.
type SummaryParams struct {
	GroupBy string `json:"groupBy"` // "site" (default) or "constructor"
	Limit   int    `json:"limit"`   // rows, default 200
}

// SummaryRow is one row of leaklsp/summary: a site, or a constructor with
// its sites as children.
type SummaryRow struct {
	Name          string     `json:"name"`
	Count         int        `json:"count"`
	New           int        `json:"new,omitempty"`
	SelfBytes     uint64     `json:"selfBytes"`
	RetainedBytes uint64     `json:"retainedBytes"`
	Location      *Location  `json:"location,omitempty"`
	Sites         []SiteInfo `json:"sites,omitempty"`
}

// SummaryResult is the reply of leaklsp/summary.
type SummaryResult struct {
	Snapshot string       `json:"snapshot"`
	GroupBy  string       `json:"groupBy"`
	Rows     []SummaryRow `json:"rows"`
}

// customHandler answers the leaklsp/* requests and passes the rest on.
func (s *Server) customHandler(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		switch req.Method() {
		case MethodSuspects:
			return s.suspects(), nil
		case MethodRetainers:
			var p protocol.TextDocumentPositionParams
			if err := json.Unmarshal(req.Params(), &p); err != nil {
				return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: want {textDocument, position}: %v", req.Method(), err)
			}
			return s.retainers(p), nil
		case MethodSummary:
			p := SummaryParams{GroupBy: "site", Limit: 200}
			if raw := req.Params(); len(raw) > 0 && string(raw) != "null" {
				if err := json.Unmarshal(raw, &p); err != nil {
					return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: %v", req.Method(), err)
				}
			}
			if p.GroupBy != "site" && p.GroupBy != "constructor" {
				return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: groupBy must be \"site\" or \"constructor\"", req.Method())
			}
			if p.Limit <= 0 {
				p.Limit = 200
			}
			return s.summary(p), nil
		}
		return next(ctx, req)
	}
}

func (s *Server) suspects() *SuspectsResult {
	h := s.heapNow()
	res := &SuspectsResult{Suspects: []SuspectInfo{}}
	if h == nil {
		return res
	}
	res.Snapshot, res.Baseline = h.path, h.baseline
	for _, list := range h.byFile {
		for _, l := range list {
			res.Suspects = append(res.Suspects, suspectInfo(l.Suspect, locationAt(l.File, l.Pos.Line, l.Pos.Column), h))
		}
	}
	for _, sus := range h.suspects {
		if !h.isPlaced(sus) {
			res.Suspects = append(res.Suspects, suspectInfo(sus, nil, h))
		}
	}
	slices.SortStableFunc(res.Suspects, func(a, b SuspectInfo) int { return cmp.Compare(b.RetainedBytes, a.RetainedBytes) })
	return res
}

// isPlaced reports whether a suspect was mapped to a workspace file.
func (h *heapState) isPlaced(sus heap.Suspect) bool {
	for _, list := range h.byFile {
		for _, l := range list {
			if l.Suspect.Site == sus.Site && l.Suspect.Code == sus.Code {
				return true
			}
		}
	}
	return false
}

func suspectInfo(sus heap.Suspect, loc *Location, h *heapState) SuspectInfo {
	return SuspectInfo{
		Code: sus.Code, Message: sus.Message, Count: sus.Count, SelfBytes: sus.SelfBytes, RetainedBytes: sus.RetainedBytes,
		Growth: sus.Growth, Script: sus.Site.Script, Location: loc, Path: hopInfos(placePath(sus.Path, h.mapper)),
	}
}

func hopInfos(path []placedHop) []HopInfo {
	out := make([]HopInfo, len(path))
	for i, hop := range path {
		out[i] = HopInfo{Edge: hop.Edge, Node: hop.Node, NodeID: hop.NodeID, Location: hop.loc}
	}
	return out
}

func siteInfo(ps placedSite, baseline, withPaths bool) SiteInfo {
	st := ps.stat
	si := SiteInfo{
		Kind: st.Kind, Name: st.Name, Label: lensTitle(st, baseline), Count: st.Count, New: st.New,
		SelfBytes: st.SelfBytes, RetainedBytes: st.RetainedBytes, Location: locationAt(ps.file, ps.line, ps.col),
	}
	if withPaths {
		for _, p := range ps.paths {
			si.Paths = append(si.Paths, hopInfos(p))
		}
	}
	return si
}

func (s *Server) retainers(p protocol.TextDocumentPositionParams) *RetainersResult {
	h := s.heapNow()
	res := &RetainersResult{Sites: []SiteInfo{}}
	if h == nil {
		return res
	}
	res.Snapshot = h.path
	path, ok := pathOf(p.TextDocument.URI)
	if !ok {
		return res
	}
	for _, ps := range sitesOnLine(h.sitesByFile[path], int(p.Position.Line)) {
		res.Sites = append(res.Sites, siteInfo(ps, h.baseline != "", true))
	}
	return res
}

func (s *Server) summary(p SummaryParams) *SummaryResult {
	h := s.heapNow()
	res := &SummaryResult{GroupBy: p.GroupBy, Rows: []SummaryRow{}}
	if h == nil {
		return res
	}
	res.Snapshot = h.path
	var all []placedSite
	for _, list := range h.sitesByFile {
		all = append(all, list...)
	}
	slices.SortFunc(all, func(a, b placedSite) int { return cmp.Compare(b.stat.RetainedBytes, a.stat.RetainedBytes) })
	base := h.baseline != ""
	if p.GroupBy == "site" {
		for _, ps := range all[:min(len(all), p.Limit)] {
			si := siteInfo(ps, base, false)
			res.Rows = append(res.Rows, SummaryRow{Name: si.Label, Count: si.Count, New: si.New, SelfBytes: si.SelfBytes,
				RetainedBytes: si.RetainedBytes, Location: si.Location})
		}
		return res
	}
	// By constructor: the instances and timers of one name across sites,
	// DevTools' Summary with a child per source line. Retained sizes add
	// up per site (sites of one name rarely dominate each other).
	byName := map[string]*SummaryRow{}
	var order []string
	for _, ps := range all {
		if ps.stat.Kind == heap.SiteClosures {
			continue
		}
		name := ps.stat.Name
		r := byName[name]
		if r == nil {
			r = &SummaryRow{Name: name}
			byName[name] = r
			order = append(order, name)
		}
		r.Count += ps.stat.Count
		r.New += ps.stat.New
		r.SelfBytes += ps.stat.SelfBytes
		r.RetainedBytes += ps.stat.RetainedBytes
		r.Sites = append(r.Sites, siteInfo(ps, base, false))
	}
	for _, name := range order {
		res.Rows = append(res.Rows, *byName[name])
	}
	slices.SortStableFunc(res.Rows, func(a, b SummaryRow) int { return cmp.Compare(b.RetainedBytes, a.RetainedBytes) })
	res.Rows = res.Rows[:min(len(res.Rows), p.Limit)]
	return res
}
