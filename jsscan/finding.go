package jsscan

// Pos is a position in a source file.
type Pos struct {
	Offset int `json:"offset"` // byte offset
	Line   int `json:"line"`   // 0-based
	Column int `json:"column"` // 0-based, UTF-16 code units
}

// Range is a half-open source range [Start, End).
type Range struct {
	Start Pos `json:"start"`
	End   Pos `json:"end"`
}

// Severity orders findings by evidence; static findings are warnings unless
// a rule is certain.
type Severity int

const (
	SeverityError Severity = iota + 1
	SeverityWarning
	SeverityInfo
	SeverityHint
)

// Edit replaces Range in Path with NewText. Path may name another file than
// the finding's (a fix in tsconfig.json for a finding in a .ts file).
type Edit struct {
	Path    string `json:"path"`
	Range   Range  `json:"range"`
	NewText string `json:"newText"`
}

// Fix is one way to resolve a finding.
type Fix struct {
	Title     string `json:"title"`
	Edits     []Edit `json:"edits"`
	Preferred bool   `json:"preferred,omitempty"`
	// Safe fixes are applied by `leaklsp check --fix`.
	Safe bool `json:"safe,omitempty"`
}

// Related is another position that explains a finding.
type Related struct {
	Path    string `json:"path"`
	Range   Range  `json:"range"`
	Message string `json:"message"`
}

// Owner is the class whose method holds a finding.
type Owner struct {
	Name  string `json:"name"`
	Range Range  `json:"range"`
}

// Finding is one result of a rule.
type Finding struct {
	Code     string    `json:"code"` // stable code, e.g. "LEAK001"
	Rule     string    `json:"rule"` // rule name, e.g. "timer-token-retained"
	Path     string    `json:"path"`
	Range    Range     `json:"range"`
	Severity Severity  `json:"severity"`
	Message  string    `json:"message"`
	Related  []Related `json:"related,omitempty"`
	Fixes    []Fix     `json:"fixes,omitempty"`
	// Owner is the class of the method a recursion finding is in: a heap
	// snapshot without allocation stacks cannot see the method of a
	// promise-only recursion, only the instance holding the chain, so the
	// heap finding about it names the class.
	Owner *Owner `json:"owner,omitempty"`
}
