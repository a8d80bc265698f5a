package lsp

import (
	"context"
	"fmt"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/leaklsp/leaklsp/report"
)

// Hover explains the diagnostics under the cursor: code, evidence, counts,
// retained size, the retainer path with its edge names, and the doc link.
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

func hoverText(d *report.Diagnostic) string {
	var b strings.Builder
	rule := report.RuleFor(d.Code)
	fmt.Fprintf(&b, "**%s** %s — %s\n\n%s\n", d.Code, rule.Name, evidenceLabel(d.Source), d.Message)
	if h := d.Heap; h != nil {
		fmt.Fprintf(&b, "\n- objects: **%d**", h.Count)
		if h.Growth > 0 {
			fmt.Fprintf(&b, " (+%d since baseline)", h.Growth)
		}
		if h.Holder != nil {
			fmt.Fprintf(&b, "\n- held by: `%s` (there at the baseline: the collection that grows)", h.Holder.Node)
			if h.Holder.Edge != "" {
				fmt.Fprintf(&b, ", reached as `%s`", h.Holder.Edge)
			}
		}
		fmt.Fprintf(&b, "\n- retained size: **%s** (self %s)\n", report.HumanBytes(h.RetainedBytes), report.HumanBytes(h.SelfBytes))
		if h.Site.Script != "" {
			fmt.Fprintf(&b, "- snapshot site: `%s:%d:%d`\n", h.Site.Script, h.Site.Line+1, h.Site.Column+1)
		}
		if len(h.Path) > 0 {
			b.WriteString("\nRetainer path:\n\n```\n")
			for i, hop := range h.Path {
				edge := hop.Edge
				if edge == "" {
					edge = "·"
				}
				fmt.Fprintf(&b, "%s%s → %s\n", strings.Repeat("  ", min(i, 8)), edge, hop.Node)
			}
			b.WriteString("```\n")
		}
		if h.Advice != "" {
			fmt.Fprintf(&b, "\n%s\n", h.Advice)
		}
	}
	if d.Static != nil && d.Static.Code != d.Code {
		fmt.Fprintf(&b, "\nStatic rule: [%s](%s)\n", d.Static.Code, report.DocURL(d.Static.Code))
	}
	fmt.Fprintf(&b, "\n[Documentation for %s](%s)", d.Code, report.DocURL(d.Code))
	return b.String()
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
