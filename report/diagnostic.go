// Package report is the one model of leaklsp's results, shared by the CLI
// and the language server: heap suspects (mapped to workspace files) and
// static findings, merged where they describe the same leak, and written as
// text, JSON or SARIF.
package report

import (
	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/jsscan"
)

// Pos is a position in a file: 0-based line, 0-based UTF-16 column.
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Range is a half-open range [Start, End).
type Range struct {
	Start Pos `json:"start"`
	End   Pos `json:"end"`
}

// Evidence says where a diagnostic comes from.
type Evidence string

const (
	Static Evidence = "static" // the source scanner only
	Heap   Evidence = "heap"   // a heap snapshot only
	Both   Evidence = "both"   // a static finding confirmed by a heap snapshot
)

// Related is another location that explains a diagnostic: a retainer-path
// hop inside the workspace, or another site of the same leak.
type Related struct {
	File    string `json:"file,omitempty"`   // absolute path; empty when unmapped
	Script  string `json:"script,omitempty"` // script URL from the snapshot, for heap sites
	Range   Range  `json:"range"`
	Message string `json:"message"`
}

// Diagnostic is one reported leak.
type Diagnostic struct {
	// File is the absolute path of the workspace file, or empty for a heap
	// suspect whose script maps to no workspace file (then Script is set and
	// Range is the position V8 reported in it).
	File     string          `json:"file,omitempty"`
	Script   string          `json:"script,omitempty"`
	Range    Range           `json:"range"`
	Code     string          `json:"code"`
	Severity jsscan.Severity `json:"severity"`
	Message  string          `json:"message"`
	Source   Evidence        `json:"source"`
	Related  []Related       `json:"related,omitempty"`
	Fixes    []jsscan.Fix    `json:"fixes,omitempty"`
	Heap     *heap.Suspect   `json:"heap,omitempty"`
	Static   *jsscan.Finding `json:"static,omitempty"`
}

// Codes returns the diagnostic's code and, when merged, the static code it
// confirms; a suppression comment must name both to silence both layers.
func (d *Diagnostic) Codes() []string {
	if d.Static != nil && d.Static.Code != d.Code {
		return []string{d.Static.Code, d.Code}
	}
	return []string{d.Code}
}

// DocURL is the documentation page of a code.
func DocURL(code string) string {
	return "https://github.com/leaklsp/leaklsp/blob/main/docs/rules/" + code + ".md"
}

// Filter drops diagnostics whose code is disabled in rules (code -> enabled).
// A merged diagnostic is dropped only when its heap code is disabled; a
// disabled static code then leaves the heap evidence standing alone.
func Filter(diags []Diagnostic, rules map[string]bool) []Diagnostic {
	if len(rules) == 0 {
		return diags
	}
	out := diags[:0:0]
	for _, d := range diags {
		if on, set := rules[d.Code]; set && !on {
			continue
		}
		if d.Static != nil && d.Heap != nil {
			if on, set := rules[d.Static.Code]; set && !on {
				d.Fixes = nil
			}
		}
		out = append(out, d)
	}
	return out
}
