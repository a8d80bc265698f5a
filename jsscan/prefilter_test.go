package jsscan

import "testing"

// A syntax error is only visible to a parse; the prefilter decides whether
// there is one. The pair below differs by one trigger word, in a comment,
// so the first file is skipped (no LEAK000) and the second is parsed (and
// its error reported).
func TestPrefilterSkipsTriggerFreeFiles(t *testing.T) {
	const broken = "function oops() {\n  return 1;\n}}\n"
	for _, path := range []string{"a.js", "a.ts"} {
		if fs := Scan(path, []byte(broken)); len(fs) != 0 {
			t.Errorf("%s without a trigger word: got %v, want no findings (not parsed)", path, fs)
		}
		fs := Scan(path, []byte("// setTimeout\n"+broken))
		if len(fs) != 1 || fs[0].Code != CodeParseError {
			t.Errorf("%s with one trigger word: got %v, want one LEAK000 (parsed)", path, fs)
		}
	}
}

// Every trigger alone makes a file a candidate; none of the look-alikes
// does.
func TestMayMatch(t *testing.T) {
	for _, src := range []string{"setTimeout", "x.setInterval(f)", "await x", "yield 1",
		"var __awaiter = 1", "__async(this)"} {
		if !mayMatch([]byte(src)) {
			t.Errorf("mayMatch(%q) = false, want true", src)
		}
	}
	for _, src := range []string{"", "setImmediate(f)", "async function f() {}", "clearTimeout(t)",
		"a_wait", "yiel d", "__asyn", "settimeout"} {
		if mayMatch([]byte(src)) {
			t.Errorf("mayMatch(%q) = true, want false", src)
		}
	}
}
