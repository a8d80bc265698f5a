package lsp

import (
	"fmt"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/leaklsp/leaklsp/report"
)

// siteHover describes what the loaded snapshot holds for the sites on a
// line: counts, retained and self size, growth, and the top retainer
// paths with their edge names, each hop a link to its source line.
func (s *Server) siteHover(path string, line int) []string {
	h := s.heapNow()
	if h == nil {
		return nil
	}
	var parts []string
	for _, ps := range sitesOnLine(h.sitesByFile[path], line) {
		parts = append(parts, siteMarkdown(ps, h.baseline != ""))
	}
	return parts
}

func siteMarkdown(ps placedSite, baseline bool) string {
	st := ps.stat
	var b strings.Builder
	fmt.Fprintf(&b, "**Heap snapshot** · %s", siteNoun(st))
	if st.Kind != "" && st.Name != "" && !strings.Contains(siteNoun(st), st.Name) {
		fmt.Fprintf(&b, " of `%s`", st.Name)
	}
	fmt.Fprintf(&b, "\n\n- retained: **%s** (self %s)", report.HumanBytes(st.RetainedBytes), report.HumanBytes(st.SelfBytes))
	if baseline {
		fmt.Fprintf(&b, "\n- new since baseline: **%s**", grouped(st.New))
	}
	b.WriteString("\n")
	for i, path := range ps.paths {
		fmt.Fprintf(&b, "\nRetainer path %d:\n\n", i+1)
		for j, hop := range path {
			edge := hop.Edge
			if edge == "" {
				edge = "·"
			}
			node := "`" + strings.ReplaceAll(hop.Node, "`", "'") + "`"
			if hop.loc != nil {
				node = fmt.Sprintf("[%s](%s#L%d)", node, hop.loc.URI, hop.loc.Range.Start.Line+1)
			}
			fmt.Fprintf(&b, "%s%s `%s` → %s\n", strings.Repeat("  ", min(j, 8)), "-", edge, node)
		}
	}
	return b.String()
}

// siteOnlyHover is the hover of a line with heap sites and no diagnostics.
func siteOnlyHover(parts []string) *protocol.Hover {
	if len(parts) == 0 {
		return nil
	}
	return &protocol.Hover{Contents: &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: strings.Join(parts, "\n\n---\n\n")}}
}
