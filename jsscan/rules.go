package jsscan

import "unicode/utf8"

// rules run in this order on every parsed file.
var rules = []*Rule{
	timerTokenRule,
	timerPrimitiveRule,
	recursiveAwaitRule,
	downlevelAsyncRule,
	intervalPerObjectRule,
}

// parseErrorRule documents LEAK000; it has no Run: Scan reports it.
var parseErrorRule = &Rule{
	Code: CodeParseError,
	Name: "parse-error",
	Doc:  "The file could not be parsed, so no other rule checked it. The message gives the parser's reason and line.",
}

// Rules lists every code Scan can report, LEAK000 first.
func Rules() []Rule {
	out := []Rule{*parseErrorRule}
	for _, r := range rules {
		out = append(out, *r)
	}
	return out
}

func decodeRune(b []byte) (rune, int) { return utf8.DecodeRune(b) }
