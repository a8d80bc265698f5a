package jsscan

import (
	"bytes"
	"github.com/tdewolff/parse/v2/js"
)

// Rule is one static check, shaped like golang.org/x/tools/go/analysis:
// a stable code, a name, a doc string and a Run over one parsed file.
type Rule struct {
	Code string
	Name string
	Doc  string
	Run  func(*Pass)
}

// DocURL is where a code's documentation page lives.
func DocURL(code string) string {
	return "https://github.com/leaklsp/leaklsp/blob/main/docs/rules/" + code + ".md"
}

// Pass is one rule's view of one parsed file. For TypeScript the scanned
// text is esbuild's JavaScript output; positions and edits are mapped back
// to the original file before they are reported.
type Pass struct {
	Path string
	AST  *js.AST

	rule   *Rule
	src    *source // the scanned JavaScript
	orig   *source // the file as written (== src for JavaScript)
	back   mapper  // scanned offset -> original offset
	toks   []token
	nodes  []node
	report func(Finding)

	// Built on first use (see declOf, clearCalls, unreleasedClears);
	// clearsFixed marks the places whose clears a fix already releases.
	decls       map[*js.Var]int
	aliases     map[string]bool
	clears      *clearIndex
	unreleased  map[clearKey][]int
	clearsFixed map[clearKey]bool

	*fileIndex
	safety      map[clearKey]string
	releaseVals map[clearKey]string
}

// fileIndex holds the indexes of the call graph and of field uses
// (callgraph.go, fix_safety.go). They depend only on the file's nodes, so
// the passes of all rules share one, each built on first use: looking up
// per timer made a file of N timers cost N whole-file scans, and building
// them per rule cost a map entry per name use per rule.
type fileIndex struct {
	protoFuncs    map[string]int
	assignedFuncs map[*js.Var]int
	memberFuncs   map[int]map[string]int
	members       map[string][]int  // a.name nodes by name
	varUses       map[*js.Var][]int // uses of declared variables
}

// mapper maps an offset in the scanned text to the original file; exact
// means the token there is the same text (a safe place for an edit).
type mapper func(off int) (orig int, exact, ok bool)

// span is a half-open byte range in the scanned text.
type span struct{ start, end int }

// start is the offset of the first positioned token in subtree i.
func (p *Pass) start(i int) int {
	if i < 0 {
		return -1
	}
	for j := i; j < int(p.nodes[i].end); j++ {
		if p.nodes[j].off >= 0 {
			return int(p.nodes[j].off)
		}
	}
	return -1
}

// last is the end of the last positioned token in subtree i.
func (p *Pass) last(i int) int {
	if i < 0 {
		return -1
	}
	for j := int(p.nodes[i].end) - 1; j >= i; j-- {
		if p.nodes[j].off >= 0 {
			return int(p.nodes[j].off + p.nodes[j].size)
		}
	}
	return -1
}

// spanOf covers the positioned tokens of subtree i.
func (p *Pass) spanOf(i int) span { return span{p.start(i), p.last(i)} }

// child returns the index of the direct child of i holding n, or -1.
func (p *Pass) child(i int, n js.INode) int {
	if i < 0 {
		return -1
	}
	for j := i + 1; j < int(p.nodes[i].end); j = int(p.nodes[j].end) {
		if sameNode(p.nodes[j].n, n) {
			return j
		}
	}
	return -1
}

// children lists the direct children of i.
func (p *Pass) children(i int) []int {
	var out []int
	for j := i + 1; j < int(p.nodes[i].end); j = int(p.nodes[j].end) {
		out = append(out, j)
	}
	return out
}

// find returns the first node in subtree i (i included) holding n.
func (p *Pass) find(i int, n js.INode) int {
	if i < 0 {
		return -1
	}
	for j := i; j < int(p.nodes[i].end); j++ {
		if sameNode(p.nodes[j].n, n) {
			return j
		}
	}
	return -1
}

func sameNode(a, b js.INode) bool {
	if la, ok := a.(js.LiteralExpr); ok {
		lb, ok := b.(js.LiteralExpr)
		return ok && len(la.Data) > 0 && len(lb.Data) > 0 && &la.Data[0] == &lb.Data[0]
	}
	switch a.(type) {
	case nil:
		return false
	}
	return a == b
}

// token returns the index of the token starting at off, or -1.
func (p *Pass) token(off int) int {
	i := tokenAt(p.toks, off)
	if i < len(p.toks) && int(p.toks[i].off) == off {
		return i
	}
	return -1
}

// text returns the scanned text of a span.
func (p *Pass) text(s span) string {
	if s.start < 0 || s.end > len(p.src.buf) || s.start > s.end {
		return ""
	}
	return string(p.src.buf[s.start:s.end])
}

// owner is the class a finding's method belongs to, in scanned offsets.
type owner struct {
	name string
	at   span
}

// related is an explanation attached to a finding, in scanned offsets.
type related struct {
	at  span
	msg string
}

// edit is a text edit in scanned offsets. Statement insertions (stmt) get
// their layout from the original file: a line of their own with the
// indentation of the token they precede, or inline before it.
type edit struct {
	at   span
	text string
	stmt bool
	// after > 0: add text as a statement on a new line after the token
	// of that length at at.start (the end of a statement) and the ';'
	// that may follow it in the original file.
	after int
}

type fix struct {
	title     string
	edits     []edit
	preferred bool
	safe      bool
	// build, when set, renders the edits against the original file from
	// the mapped offsets of at (used for rewrites that copy source text).
	at    []int
	build func(orig []byte, at []int) []Edit
}

// Report records a finding of the pass's rule at span at, mapped back to
// the original file; findings in code the compiler made up (no mapping)
// are dropped, and so are fixes whose edits cannot be placed exactly.
func (p *Pass) reportAt(at span, msg string, rel []related, fixes []fix) {
	p.reportOwned(at, msg, rel, fixes, nil)
}

// reportOwned is reportAt for a finding in a method of class o (nil: none).
func (p *Pass) reportOwned(at span, msg string, rel []related, fixes []fix, o *owner) {
	rng, ok := p.mapSpan(at)
	if !ok {
		return
	}
	f := Finding{Code: p.rule.Code, Rule: p.rule.Name, Path: p.Path, Range: rng,
		Severity: SeverityWarning, Message: msg}
	if o != nil {
		if r, ok := p.mapSpan(o.at); ok {
			f.Owner = &Owner{Name: o.name, Range: r}
		}
	}
	for _, r := range rel {
		if rr, ok := p.mapSpan(r.at); ok {
			f.Related = append(f.Related, Related{Path: p.Path, Range: rr, Message: r.msg})
		}
	}
	for _, fx := range fixes {
		if out, ok := p.mapFix(fx); ok {
			f.Fixes = append(f.Fixes, out)
		}
	}
	p.report(f)
}

func (p *Pass) mapSpan(s span) (Range, bool) {
	if s.start < 0 {
		return Range{}, false
	}
	start, exact, ok := p.back(s.start)
	if !ok {
		return Range{}, false
	}
	end := start + max(0, s.end-s.start)
	if !exact {
		end = identEnd(p.orig.buf, start)
	}
	return p.orig.rng(start, min(end, len(p.orig.buf))), true
}

// origText is the original file's text for a scanned span, blanks
// removed; "" when it does not map. It differs from the scanned text in
// TypeScript, where esbuild renames a few names.
func (p *Pass) origText(s span) string {
	r, ok := p.mapSpan(s)
	if !ok || r.End.Offset > len(p.orig.buf) || r.Start.Offset > r.End.Offset {
		return ""
	}
	return string(bytes.Join(bytes.Fields(p.orig.buf[r.Start.Offset:r.End.Offset]), nil))
}

func (p *Pass) mapFix(fx fix) (Fix, bool) {
	out := Fix{Title: fx.title, Preferred: fx.preferred, Safe: fx.safe}
	if fx.build != nil {
		at := make([]int, len(fx.at))
		for i, off := range fx.at {
			o, exact, ok := p.back(off)
			if !ok || !exact {
				return Fix{}, false
			}
			at[i] = o
		}
		out.Edits = fx.build(p.orig.buf, at)
		for i := range out.Edits {
			e := &out.Edits[i]
			e.Path = p.Path
			e.Range = p.orig.rng(e.Range.Start.Offset, e.Range.End.Offset)
		}
		return out, len(out.Edits) > 0
	}
	for _, e := range fx.edits {
		start, exact, ok := p.back(e.at.start)
		if !ok || !exact {
			return Fix{}, false
		}
		end := start + (e.at.end - e.at.start)
		text := e.text
		if e.after > 0 {
			indent, _ := p.orig.indentAt(start)
			start += e.after
			b := p.orig.buf
			j := start
			for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
				j++
			}
			if j < len(b) && b[j] == ';' { // the statement's own ';' stays with it
				start = j + 1
				j = start
				for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
					j++
				}
			}
			if bytes.HasPrefix(b[j:], []byte("//")) { // and so does a comment ending its line
				start = p.orig.lineEnd(j)
			}
			end = start
			text = p.orig.eol(start) + indent + text
		} else if e.stmt {
			indent, first := p.orig.indentAt(start)
			switch {
			case first:
				text += p.orig.eol(start) + indent
			case start > 0 && p.orig.buf[start-1] == '{':
				text = " " + text + " " // {} -> { text }
			default:
				text += " "
			}
		}
		out.Edits = append(out.Edits, Edit{Path: p.Path, Range: p.orig.rng(start, end), NewText: text})
	}
	return out, len(out.Edits) > 0
}

// offRange is a Range carrying only offsets, for fix builders; mapFix
// fills in lines and columns.
func offRange(start, end int) Range {
	return Range{Start: Pos{Offset: start}, End: Pos{Offset: end}}
}

func identEnd(b []byte, i int) int {
	j := i
	for j < len(b) && (b[j] == '_' || b[j] == '$' || b[j] >= 0x80 ||
		'a' <= b[j] && b[j] <= 'z' || 'A' <= b[j] && b[j] <= 'Z' || '0' <= b[j] && b[j] <= '9') {
		j++
	}
	if j == i && i < len(b) {
		j++
	}
	return j
}
