package report

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/jsscan"
)

// Corresponds reports whether heap code h is the runtime evidence of static
// code s: LEAK1xx confirms LEAK0xx (same xx), and the __awaiter chain
// LEAK104 also confirms the recursive-await rule LEAK003.
func Corresponds(h, s string) bool {
	if len(h) != 7 || len(s) != 7 || !strings.HasPrefix(h, "LEAK1") || !strings.HasPrefix(s, "LEAK0") {
		return false
	}
	if h[5:] == s[5:] {
		return true
	}
	return h == heap.CodeAwaiterChain && s == jsscan.CodeRecursiveAwait
}

// Merge builds the diagnostics of one file from the heap suspects located in
// it and its static findings. src is the file's current text (used for heap
// ranges and suppression comments); it may be nil.
//
// A suspect and a finding merge when their codes correspond and the
// suspect's site (or one of its related sites in this file) lies on the
// finding's lines. Each merges at most once, with the nearest partner.
func Merge(file string, src []byte, located []Located, findings []jsscan.Finding) []Diagnostic {
	lines := splitLines(src)
	used := make([]bool, len(located))
	var out []Diagnostic
	for i := range findings {
		f := &findings[i]
		if j := partner(file, f, located, used, lines); j >= 0 {
			used[j] = true
			out = append(out, merged(f, &located[j]))
			continue
		}
		out = append(out, fromFinding(f))
	}
	for j := range located {
		if !used[j] && located[j].File == file {
			out = append(out, fromSuspect(&located[j], lines))
		}
	}
	out = unsuppressed(out, lines)
	Sort(out)
	return out
}

// partner returns the index of the unused suspect that best confirms f, or -1.
func partner(file string, f *jsscan.Finding, located []Located, used []bool, lines [][]byte) int {
	best, bestDist := -1, 1<<30
	for j := range located {
		l := &located[j]
		if used[j] || l.File != file || !Corresponds(l.Suspect.Code, f.Code) {
			continue
		}
		d := lineDistance(f, l)
		if d < 0 {
			d = timerDistance(f, l, lines)
		}
		if d < 0 {
			d = ownerDistance(f, l)
		}
		if d >= 0 && d < bestDist {
			best, bestDist = j, d
		}
	}
	return best
}

// lineDistance ranks how closely a suspect and a finding describe the same
// code, or returns -1 when they do not meet: 0 when the suspect's site is on
// the finding's lines; 1 when it is one of the finding's related positions
// (a recursion finding on the call relates the recursive function, where V8
// puts the suspended activations); 2+ when one of the suspect's related
// sites is on the finding's lines.
func lineDistance(f *jsscan.Finding, l *Located) int {
	first, last := f.Range.Start.Line, f.Range.End.Line
	if l.Pos.Line >= first && l.Pos.Line <= last {
		return 0
	}
	for _, r := range f.Related {
		if (r.Path == "" || samePath(r.Path, l.File)) && r.Range.Start.Line <= l.Pos.Line && l.Pos.Line <= r.Range.End.Line {
			return 1
		}
	}
	d := -1
	for _, r := range l.Related {
		if r.File == l.File && r.Range.Start.Line >= first && r.Range.Start.Line <= last {
			if n := 2 + abs(l.Pos.Line-r.Range.Start.Line); d < 0 || n < d {
				d = n
			}
		}
	}
	return d
}

// ownerDistance relates a heap suspect that blames an instance of a class
// (site function = the class, at its constructor: a promise-only recursion
// in a snapshot without allocation stacks, held by the instance) to a
// static finding in a method of that class. It ranks below every other
// link, or returns -1.
func ownerDistance(f *jsscan.Finding, l *Located) int {
	o := f.Owner
	if o == nil || l.Suspect.Site.Function != o.Name || l.Pos.Line < o.Range.Start.Line || l.Pos.Line > o.Range.End.Line {
		return -1
	}
	return 100 + abs(f.Range.Start.Line-l.Pos.Line)
}

// maxTimerGap is how many lines above a timer finding the setTimeout that
// created the timer may be (const t = setTimeout(…); … +t).
const maxTimerGap = 20

// timerDistance relates a heap timer suspect to a static finding about the
// same setTimeout when their lines differ, from the source text:
//   - a bound callback (setTimeout(this.fire.bind(this))): the heap sees
//     the target method fire, the static finding the setTimeout line, which
//     holds "fire.bind(";
//   - a timer converted to a primitive: the heap sees the callback on the
//     setTimeout line that assigns t, the static finding the +t below it.
//
// It returns -1 when the text shows no such link.
func timerDistance(f *jsscan.Finding, l *Located, lines [][]byte) int {
	first, last := f.Range.Start.Line, f.Range.End.Line
	if first < 0 || last >= len(lines) {
		return -1
	}
	if fn := l.Suspect.Site.Function; fn != "" && isIdent(fn) {
		for i := first; i <= last; i++ {
			if strings.Contains(string(lines[i]), fn+".bind(") {
				return 3
			}
		}
	}
	at := l.Pos.Line
	if at >= first || first-at > maxTimerGap || at < 0 || at >= len(lines) {
		return -1
	}
	v := assignedTimer(string(lines[at]))
	if v == "" {
		return -1
	}
	for i := first; i <= last; i++ {
		if containsWord(string(lines[i]), v) {
			return 3 + first - at
		}
	}
	return -1
}

// assignedTimer returns t in "t = setTimeout(" or "t = setInterval(".
func assignedTimer(line string) string {
	for _, call := range []string{"setTimeout(", "setInterval("} {
		i := strings.Index(line, call)
		if i < 0 {
			continue
		}
		lhs := strings.TrimRight(line[:i], " \t")
		if !strings.HasSuffix(lhs, "=") || strings.HasSuffix(lhs, "==") {
			continue
		}
		lhs = strings.TrimRight(strings.TrimSuffix(lhs, "="), " \t")
		j := len(lhs)
		for j > 0 && isIdentByte(lhs[j-1]) {
			j--
		}
		return lhs[j:]
	}
	return ""
}

// containsWord reports whether w occurs in s as a whole identifier.
func containsWord(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		a, b := i+j, i+j+len(w)
		if (a == 0 || !isIdentByte(s[a-1])) && (b == len(s) || !isIdentByte(s[b])) {
			return true
		}
		i = a
	}
	return false
}

func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isIdentByte(s[i]) {
			return false
		}
	}
	return s != ""
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func samePath(a, b string) bool {
	if a == b {
		return true
	}
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

func fromFinding(f *jsscan.Finding) Diagnostic {
	sev := f.Severity
	if sev == 0 {
		sev = jsscan.SeverityWarning
	}
	d := Diagnostic{
		File: f.Path, Range: fromScan(f.Range), Code: f.Code, Severity: sev,
		Message: f.Message, Source: Static, Fixes: f.Fixes, Static: f,
	}
	for _, r := range f.Related {
		d.Related = append(d.Related, Related{File: r.Path, Range: fromScan(r.Range), Message: r.Message})
	}
	return d
}

func fromSuspect(l *Located, lines [][]byte) Diagnostic {
	s := &l.Suspect
	d := Diagnostic{
		File: l.File, Range: Range{l.Pos, l.Pos}, Code: s.Code, Severity: jsscan.SeverityError,
		Message: heapMessage(s), Source: Heap, Related: l.Related, Heap: s,
	}
	if l.File == "" {
		d.Script = s.Site.Script
	} else {
		d.Range = lineRange(lines, l.Pos)
	}
	return d
}

// merged is a static finding confirmed by a heap suspect: the finding's
// precise range and fixes, the suspect's code, severity and evidence.
func merged(f *jsscan.Finding, l *Located) Diagnostic {
	d := fromFinding(f)
	s := &l.Suspect
	d.Code, d.Severity, d.Source, d.Heap = s.Code, jsscan.SeverityError, Both, s
	msg := sentence(f.Message)
	if s.Code == heap.CodeRetainedTimeout && !keepsStores(s) {
		// Say what this snapshot shows: no store kept (Node 24+
		// AsyncContextFrame, or no AsyncLocalStorage in use).
		msg = strings.Replace(msg, " and AsyncLocalStorage stores", "", 1)
	}
	d.Message = fmt.Sprintf("%s Heap snapshot confirms it: %s.", msg, heapFacts(s))
	if note := versionNote(s.Message); note != "" {
		d.Message += " " + note
	}
	d.Related = append(append([]Related(nil), l.Related...), d.Related...)
	return d
}

// keepsStores reports whether the suspect found AsyncLocalStorage stores.
func keepsStores(s *heap.Suspect) bool {
	for _, r := range s.Related {
		if strings.Contains(r.Note, "AsyncLocalStorage store") {
			return true
		}
	}
	return false
}

// versionNote returns the suspect's closing sentences that the static
// message cannot say: the snapshot's Node version (a known bug and its fix,
// AsyncContextFrame) or what holds a promise chain; "" when none.
func versionNote(msg string) string {
	first := -1
	for _, marker := range []string{"This snapshot is from Node.js", "No AsyncLocalStorage store is kept", "The oldest promise is held by"} {
		if i := strings.Index(msg, marker); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	if first < 0 {
		return ""
	}
	return strings.TrimSpace(msg[first:])
}

// heapMessage is the suspect's sentence followed by its counts and size.
func heapMessage(s *heap.Suspect) string {
	msg := s.Message
	if strings.TrimSpace(msg) == "" {
		msg = "Heap snapshot leak suspect (" + s.Detector + ")"
	}
	if strings.Contains(msg, "retained") { // the detector already said how much
		return sentence(msg)
	}
	return sentence(msg) + " " + upperFirst(heapFacts(s)) + "."
}

// sentence trims s and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s != "" && !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "!") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	return upperFirst(s)
}

// heapFacts is "3000 objects, 1.2 MB retained (+2000 since baseline)".
func heapFacts(s *heap.Suspect) string {
	t := fmt.Sprintf("%s, %s retained", Count(s.Count, "object"), HumanBytes(s.RetainedBytes))
	if s.Growth > 0 {
		t += fmt.Sprintf(" (+%d since baseline)", s.Growth)
	}
	return t
}

// Count is n with its noun: "1 suspect", "3 suspects".
func Count(n int, w string) string { return fmt.Sprintf("%d %s", n, plural(n, w)) }

func plural(n int, w string) string {
	if n == 1 {
		return w
	}
	return w + "s"
}

// upperFirst capitalises the first word unless it is code: a word that
// runs into "(", "." or "_" or has capitals or digits inside ("task()",
// "fooBar") keeps its spelling.
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	word := s
	if i := strings.IndexAny(s, " \t:;,"); i >= 0 {
		word = s[:i]
	}
	if strings.ContainsFunc(word, func(r rune) bool { return r < 'a' || r > 'z' }) {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func fromScan(r jsscan.Range) Range {
	return Range{Pos{r.Start.Line, r.Start.Column}, Pos{r.End.Line, r.End.Column}}
}

// Sort orders diagnostics by file, position and code; unmapped ones last.
func Sort(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := &ds[i], &ds[j]
		if (a.File == "") != (b.File == "") {
			return a.File != ""
		}
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Script != b.Script {
			return a.Script < b.Script
		}
		if a.Range.Start != b.Range.Start {
			if a.Range.Start.Line != b.Range.Start.Line {
				return a.Range.Start.Line < b.Range.Start.Line
			}
			return a.Range.Start.Column < b.Range.Start.Column
		}
		return a.Code < b.Code
	})
}

// Build is the whole-workspace report the CLI prints: suspects located
// through m's mapping, merged per file with the findings; read supplies file
// contents (nil reads nothing). Unmapped suspects are kept, with their script.
func Build(located []Located, findings []jsscan.Finding, read func(string) []byte) []Diagnostic {
	byFile := map[string][]jsscan.Finding{}
	files := map[string]bool{}
	for _, f := range findings {
		if abs, err := filepath.Abs(f.Path); err == nil {
			f.Path = abs
		}
		byFile[f.Path] = append(byFile[f.Path], f)
		files[f.Path] = true
	}
	var unmapped []Located
	for _, l := range located {
		if l.File == "" {
			unmapped = append(unmapped, l)
			continue
		}
		files[l.File] = true
	}
	var out []Diagnostic
	for file := range files {
		var src []byte
		if read != nil {
			src = read(file)
		}
		out = append(out, Merge(file, src, located, byFile[file])...)
	}
	for i := range unmapped {
		out = append(out, fromSuspect(&unmapped[i], nil))
	}
	Sort(out)
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
