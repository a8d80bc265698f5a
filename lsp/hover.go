package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/jsscan"
	"github.com/leaklsp/leaklsp/report"
)

// Hover explains the diagnostics under the cursor beyond their message:
// the rule, counts and retained size, the retainer path with its edge
// names, what the quick fixes change, and the doc link.
func (s *Server) Hover(_ context.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	var sites []string
	if path, ok := pathOf(p.TextDocument.URI); ok { // what the snapshot holds here (sitehover.go)
		sites = s.siteHover(path, int(p.Position.Line))
	}
	cur := s.lastPublished(p.TextDocument.URI)
	if cur == nil {
		return siteOnlyHover(sites), nil
	}
	at := protocol.Range{Start: p.Position, End: p.Position}
	var parts []string
	var rng *protocol.Range
	for i := range cur.diags {
		r := toRange(cur.diags[i].Range)
		if !overlaps(r, at) {
			continue
		}
		if rng == nil {
			rng = &r
		}
		parts = append(parts, hoverText(&cur.diags[i]))
	}
	parts = append(parts, sites...)
	if len(parts) == 0 {
		return nil, nil
	}
	return &protocol.Hover{
		Contents: &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: strings.Join(parts, "\n\n---\n\n")},
		Range:    rng,
	}, nil
}

// hoverText says what the diagnostic's one-line message does not: what
// the rule is, the exact numbers, where the snapshot puts the objects, the
// retainer path root first, what each quick fix changes, and the doc page.
// The message itself is already on screen next to the hover.
func hoverText(d *report.Diagnostic) string {
	var b strings.Builder
	rule := report.RuleFor(d.Code)
	fmt.Fprintf(&b, "**%s** `%s` — %s\n\n%s\n", d.Code, rule.Name, evidenceLabel(d.Source), rule.Short)
	if h := d.Heap; h != nil {
		writeHeapFacts(&b, h)
	} else {
		b.WriteString("\nNo heap snapshot backs this yet: load one (**Leak: Open Heap Snapshot…**, `:LeakOpenSnapshot`) to count what it keeps alive.\n")
	}
	for _, f := range d.Fixes {
		writeFix(&b, f)
	}
	if d.Static != nil && d.Static.Code != d.Code {
		fmt.Fprintf(&b, "\nThe static rule [%s](%s) flags the same line.\n", d.Static.Code, report.DocURL(d.Static.Code))
	}
	fmt.Fprintf(&b, "\n[%s: why it leaks and how to fix it](%s)", d.Code, report.DocURL(d.Code))
	return b.String()
}

// writeHeapFacts writes the snapshot's numbers, the site V8 reported and
// the retainer path.
func writeHeapFacts(b *strings.Builder, h *heap.Suspect) {
	fmt.Fprintf(b, "\n- objects: **%d**", h.Count)
	if h.Growth > 0 {
		fmt.Fprintf(b, " (+%d since the baseline)", h.Growth)
	}
	fmt.Fprintf(b, "\n- retained size: **%s** (%d bytes; their own size %s)", report.HumanBytes(h.RetainedBytes), h.RetainedBytes, report.HumanBytes(h.SelfBytes))
	if h.Count > 0 {
		fmt.Fprintf(b, ", %s per object", report.HumanBytes(h.RetainedBytes/uint64(h.Count)))
	}
	if h.Holder != nil {
		fmt.Fprintf(b, "\n- held by: `%s`, there at the baseline: the collection that grows", h.Holder.Node)
		if h.Holder.Edge != "" {
			fmt.Fprintf(b, " (reached as `%s`)", h.Holder.Edge)
		}
	}
	if h.Site.Script != "" {
		fmt.Fprintf(b, "\n- in the snapshot: `%s:%d:%d`", h.Site.Script, h.Site.Line+1, h.Site.Column+1)
		if h.Site.Function != "" {
			fmt.Fprintf(b, " in `%s`", h.Site.Function)
		}
	}
	b.WriteString("\n")
	if len(h.Path) > 0 {
		b.WriteString("\nRetainer path, from the GC roots to one of them:\n\n```\n")
		for i, hop := range h.Path {
			edge := hop.Edge
			if edge == "" {
				edge = "·"
			}
			fmt.Fprintf(b, "%s%s → %s\n", strings.Repeat("  ", min(i, 8)), edge, hop.Node)
		}
		b.WriteString("```\n")
	}
}

// writeFix says what a quick fix changes: its title and, for the first
// few edits, the line and the text inserted or removed.
func writeFix(b *strings.Builder, f jsscan.Fix) {
	kind := "Quick fix"
	if f.Preferred {
		kind = "Preferred quick fix"
	}
	fmt.Fprintf(b, "\n%s: **%s**", kind, f.Title)
	if !f.Safe {
		b.WriteString(" (review it; `check --fix` leaves it out)")
	}
	b.WriteString("\n")
	const maxEdits = 3
	for i, e := range f.Edits {
		if i == maxEdits {
			fmt.Fprintf(b, "- and %d more edits\n", len(f.Edits)-maxEdits)
			break
		}
		where := fmt.Sprintf("line %d", e.Range.Start.Line+1)
		if base := filepath.Base(e.Path); e.Path != "" && !strings.HasSuffix(base, ".js") && !strings.HasSuffix(base, ".ts") {
			where = base + " " + where // tsconfig.json
		}
		switch empty := e.Range.Start == e.Range.End; {
		case e.NewText == "" && !empty:
			fmt.Fprintf(b, "- %s: removes %d:%d–%d:%d\n", where, e.Range.Start.Line+1, e.Range.Start.Column+1, e.Range.End.Line+1, e.Range.End.Column+1)
		case empty:
			fmt.Fprintf(b, "- %s: inserts `%s`\n", where, oneLine(e.NewText))
		default:
			fmt.Fprintf(b, "- %s: replaces %d:%d–%d:%d with `%s`\n", where, e.Range.Start.Line+1, e.Range.Start.Column+1, e.Range.End.Line+1, e.Range.End.Column+1, oneLine(e.NewText))
		}
	}
}

// oneLine shortens inserted text for a bullet: first line, at most 80 bytes.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	if len(s) > 80 {
		s = strings.ToValidUTF8(s[:77], "") + "…"
	}
	return strings.ReplaceAll(s, "`", "'")
}

func evidenceLabel(e report.Evidence) string {
	switch e {
	case report.Both:
		return "confirmed by the heap snapshot"
	case report.Heap:
		return "found in the heap snapshot"
	}
	return "static analysis"
}
