package lsp

import (
	"bytes"
	"context"
	"unicode/utf8"

	"go.lsp.dev/protocol"
)

// Heap counts as inlay hints, the user's choice (lens.style "inlayHint")
// over CodeLens: the same text and thresholds, at the end of the site's
// line instead of on a line of its own above it, so the code keeps its
// layout. A hint's label runs the lens's command when clicked.

// Lens styles (LensSettings.Style).
const (
	LensStyleCodeLens  = "codeLens"
	LensStyleInlayHint = "inlayHint"
)

func (l LensSettings) inlay() bool { return l.Style == LensStyleInlayHint }

// InlayHint answers textDocument/inlayHint: the heap counts of the sites
// in the requested range, when the settings choose inlay hints.
func (s *Server) InlayHint(_ context.Context, p *protocol.InlayHintParams) ([]protocol.InlayHint, error) {
	path, ok := pathOf(p.TextDocument.URI)
	if !ok {
		return nil, nil
	}
	s.mu.Lock()
	h, ls := s.heap, s.settings.Lens
	s.mu.Unlock()
	if !ls.inlay() {
		return nil, nil
	}
	var shown []*placedSite
	for _, ps := range h.shownSites(path, ls) {
		if inLines(p.Range, ps.line) {
			shown = append(shown, ps)
		}
	}
	if len(shown) == 0 {
		return nil, nil
	}
	ends := s.lineEnds(path, shown)
	var out []protocol.InlayHint
	byLine := map[int]int{} // line -> index in out
	for _, ps := range shown {
		if i, ok := byLine[ps.line]; ok {
			out[i].Label = append(out[i].Label.(protocol.InlayHintLabelPartSlice), hintSeparator, sitePart(ps))
			continue
		}
		byLine[ps.line] = len(out)
		out = append(out, siteHint(ps, ends[ps.line]))
	}
	return out, nil
}

// inLines reports whether line is within the lines of r (a hint belongs to
// a line; the column of the range does not matter).
func inLines(r protocol.Range, line int) bool {
	return line >= int(r.Start.Line) && line <= int(r.End.Line)
}

// siteHint is the hint of a line at column end, starting with the site
// ps. The sites of one line share a hint, one label part each: separate
// hints at one position render with no space between them.
func siteHint(ps *placedSite, end uint32) protocol.InlayHint {
	return protocol.InlayHint{
		Position:    protocol.Position{Line: uint32(max(ps.line, 0)), Character: max(end, uint32(max(ps.col, 0)))},
		Label:       protocol.InlayHintLabelPartSlice{sitePart(ps)},
		PaddingLeft: ptr(true),
	}
}

// sitePart is the lens title, which runs the lens command when clicked.
func sitePart(ps *placedSite) protocol.InlayHintLabelPart {
	return protocol.InlayHintLabelPart{Value: ps.lens.Command.Title, Command: ps.lens.Command}
}

var hintSeparator = protocol.InlayHintLabelPart{Value: "; "}

// lineEnds returns the UTF-16 length of the lines of the sites, from the
// open document's text (an LSP column counts UTF-16 units). A document
// that is not open has no entry; its hints go at the site's column.
func (s *Server) lineEnds(path string, sites []*placedSite) map[int]uint32 {
	want := map[int]bool{}
	for _, ps := range sites {
		want[ps.line] = true
	}
	ends := make(map[int]uint32, len(want))
	s.mu.Lock()
	defer s.mu.Unlock() // the text changes in place under the lock
	d := s.docs[path]
	if d == nil {
		return ends
	}
	text := d.text
	for line := 0; len(text) > 0 && len(ends) < len(want); line++ {
		next := nextLine(text)
		cur := text
		if next >= 0 {
			cur, text = text[:next], text[next:]
		} else {
			text = nil
		}
		if want[line] {
			ends[line] = utf16Units(bytes.TrimRight(cur, "\r\n"))
		}
	}
	return ends
}

func utf16Units(b []byte) uint32 {
	n := uint32(0)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		b = b[size:]
	}
	return n
}

// refreshSupport reads whether the client takes codeLens and inlayHint
// refresh requests.
func refreshSupport(w *protocol.WorkspaceClientCapabilities) (lens, hint bool) {
	if w == nil {
		return false, false
	}
	lens = w.CodeLens != nil && w.CodeLens.RefreshSupport != nil && *w.CodeLens.RefreshSupport
	hint = w.InlayHint != nil && w.InlayHint.RefreshSupport != nil && *w.InlayHint.RefreshSupport
	return lens, hint
}

// refreshAnnotations asks the client to request lenses and hints again:
// they change with the loaded snapshot and the lens settings, not with
// the document, so the client would not know.
func (s *Server) refreshAnnotations() {
	s.mu.Lock()
	lens, hint := s.refreshLens, s.refreshHint
	s.mu.Unlock()
	if lens {
		if err := s.client.CodeLensRefresh(s.ctx); err != nil {
			s.log.Warn("codeLens/refresh", "err", err)
		}
	}
	if hint {
		if err := s.client.InlayHintRefresh(s.ctx); err != nil {
			s.log.Warn("inlayHint/refresh", "err", err)
		}
	}
}
