package lsp

import (
	"context"
	"sort"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leaklsp/leaklsp/jsscan"
	"github.com/leaklsp/leaklsp/report"
)

// CodeAction offers, for the diagnostics under the range: each jsscan fix
// as a quickfix (the preferred one marked), a leak regression test for a
// heap-confirmed finding (regtest.go), a suppression comment, and
// source.fixAll.leaklsp with every safe fix of the file.
func (s *Server) CodeAction(_ context.Context, p *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	cur := s.lastPublished(p.TextDocument.URI)
	if cur == nil {
		return nil, nil
	}
	only := p.Context.Only
	var out []protocol.CommandOrCodeAction
	if wants(only, protocol.CodeActionKindQuickFix) {
		for i := range cur.diags {
			if !overlaps(toRange(cur.diags[i].Range), p.Range) {
				continue
			}
			out = append(out, s.quickFixes(cur, i)...)
		}
	}
	if wants(only, KindFixAll) {
		if a := s.fixAll(cur); a != nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// wants reports whether kind is requested by only (kinds are hierarchical:
// "source" asks for "source.fixAll.leaklsp"). An empty only asks for all.
func wants(only []protocol.CodeActionKind, kind protocol.CodeActionKind) bool {
	if len(only) == 0 {
		return true
	}
	for _, o := range only {
		if o == kind || strings.HasPrefix(string(kind), string(o)+".") {
			return true
		}
	}
	return false
}

func (s *Server) quickFixes(cur *publishedDiagnostics, i int) []protocol.CommandOrCodeAction {
	d, pd := &cur.diags[i], cur.proto[i]
	var out []protocol.CommandOrCodeAction
	for _, f := range d.Fixes {
		edit := s.workspaceEdit(f.Edits)
		if edit == nil {
			continue
		}
		out = append(out, &protocol.CodeAction{
			Title: f.Title, Kind: ptr(protocol.CodeActionKindQuickFix),
			Diagnostics: []protocol.Diagnostic{pd}, IsPreferred: ptr(f.Preferred), Edit: edit,
		})
	}
	if a := s.regressionTest(cur, i); a != nil {
		out = append(out, a)
	}
	if d.File != "" {
		out = append(out, &protocol.CodeAction{
			Title: "Ignore " + strings.Join(d.Codes(), ", ") + " on this line (leaklsp-ignore)",
			Kind:  ptr(protocol.CodeActionKindQuickFix), Diagnostics: []protocol.Diagnostic{pd},
			Edit: &protocol.WorkspaceEdit{Changes: map[uri.URI][]protocol.TextEdit{cur.uri: {suppression(cur.text, d)}}},
		})
	}
	return out
}

// suppression inserts `// leaklsp-ignore CODES` above the diagnostic's line
// with the same indentation. A merged diagnostic names both codes, so the
// static rule (jsscan honours the comment) and the heap evidence both go.
func suppression(text []byte, d *report.Diagnostic) protocol.TextEdit {
	line := d.Range.Start.Line
	indent := ""
	if lines := strings.Split(string(text), "\n"); line < len(lines) {
		l := lines[line]
		indent = l[:len(l)-len(strings.TrimLeft(l, " \t"))]
	}
	at := protocol.Position{Line: uint32(line), Character: 0}
	return protocol.TextEdit{Range: protocol.Range{Start: at, End: at}, NewText: indent + "// leaklsp-ignore " + strings.Join(d.Codes(), " ") + "\n"}
}

// fixAll combines the safe fixes of every diagnostic of the file, the
// preferred fix of each first, skipping edits that overlap one already taken.
func (s *Server) fixAll(cur *publishedDiagnostics) protocol.CommandOrCodeAction {
	var edits []jsscan.Edit
	var diags []protocol.Diagnostic
	for i := range cur.diags {
		fixes := append([]jsscan.Fix(nil), cur.diags[i].Fixes...)
		sort.SliceStable(fixes, func(a, b int) bool { return fixes[a].Preferred && !fixes[b].Preferred })
		for _, f := range fixes {
			if f.Safe && !conflicts(edits, f.Edits) {
				edits = append(edits, f.Edits...)
				diags = append(diags, cur.proto[i])
				break
			}
		}
	}
	edit := s.workspaceEdit(edits)
	if edit == nil {
		return nil
	}
	return &protocol.CodeAction{Title: "Fix all safe leaklsp problems", Kind: ptr(KindFixAll), Diagnostics: diags, Edit: edit}
}

// conflicts reports whether any edit of add overlaps an edit in have on the
// same file (two insertions at one point conflict too: their order is unknown).
func conflicts(have, add []jsscan.Edit) bool {
	for _, a := range add {
		for _, h := range have {
			if a.Path == h.Path && a.Range.Start.Offset <= h.Range.End.Offset && h.Range.Start.Offset <= a.Range.End.Offset {
				return true
			}
		}
	}
	return false
}

// workspaceEdit converts jsscan edits (absolute paths) into a WorkspaceEdit.
func (s *Server) workspaceEdit(edits []jsscan.Edit) *protocol.WorkspaceEdit {
	if len(edits) == 0 {
		return nil
	}
	changes := map[uri.URI][]protocol.TextEdit{}
	for _, e := range edits {
		u := s.uriFor(e.Path)
		changes[u] = append(changes[u], protocol.TextEdit{Range: scanRange(e.Range), NewText: e.NewText})
	}
	return &protocol.WorkspaceEdit{Changes: changes}
}

// overlaps reports whether two ranges touch (an empty request range at a
// diagnostic's end still counts, as the cursor sits there).
func overlaps(a, b protocol.Range) bool {
	return !before(a.End, b.Start) && !before(b.End, a.Start)
}

func before(a, b protocol.Position) bool {
	return a.Line < b.Line || (a.Line == b.Line && a.Character < b.Character)
}
