// Package regtest writes leak regression tests: for a leak that a heap
// snapshot confirmed and a quick fix removes, a test file next to the code
// that runs the fixed code path under leaklsp/testing's assertNoLeak, for
// the project's test runner (node:test, Jest, Vitest or Mocha).
//
// A test is only written when running the finding's code path again and
// again shows the leak and the fix makes it go: today the interval that an
// object starts and its close method forgets to clear (LEAK005 confirmed as
// LEAK105), exercised as `new C()`, the method that starts the interval if
// it is not the constructor, and the close method the fix edits, each
// without arguments. Other findings are not offered one: a timer token kept
// on an object (LEAK001/LEAK101) leaks only through whatever keeps that
// object, which is not the code the finding is in (the objects stay kept
// after the fix, so the test could not pass), and a recursive await
// (LEAK003/LEAK103) grows with the events that drive it, not with calls
// of the function it is in.
package regtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/leaklsp/leaklsp/jsscan"
	"github.com/leaklsp/leaklsp/report"
)

// Test is a generated regression test.
type Test struct {
	Path      string // absolute path of the file to create, next to the code
	Text      string
	Framework Framework
	Run       string // the command that runs it alone
}

// Why no test is offered.
var (
	ErrNotConfirmed = errors.New("not a heap-confirmed finding with a quick fix")
	ErrNoCallPath   = errors.New("calling the code of this finding again and again does not show this leak")
	ErrNotCallable  = errors.New("no exported class with a constructor and methods that take no required arguments holds the finding and its fix")
	ErrExists       = errors.New("the test file already exists")
)

// For returns the regression test of d, a diagnostic of the file d.File
// whose current text is src; root is the workspace folder (package.json
// is looked for up to it), "" for none.
func For(d *report.Diagnostic, src []byte, root string) (*Test, error) {
	if d.Source != report.Both || d.Static == nil || len(d.Fixes) == 0 || d.File == "" {
		return nil, ErrNotConfirmed
	}
	if d.Static.Code != jsscan.CodeIntervalPerObject {
		return nil, ErrNoCallPath
	}
	ext := filepath.Ext(d.File)
	if ext != ".js" && ext != ".cjs" && ext != ".mjs" {
		return nil, fmt.Errorf("%w (%s files are compiled; a test runs JavaScript)", ErrNotCallable, ext)
	}
	o := outlineOf(src)
	c, calls, err := callPath(o, d)
	if err != nil {
		return nil, err
	}
	exp, _ := o.exportOf(c.name)
	proj := projectOf(filepath.Dir(d.File), root)
	p := &plan{
		framework: proj.framework, module: filepath.Base(d.File), exp: exp, class: c.name, calls: calls,
		codes: d.Codes(), site: site(d), why: firstSentence(d.Static.Message),
	}
	codeESM := ext == ".mjs" || ext == ".js" && (o.esm || proj.module)
	p.esm, p.cjsModule = codeESM || p.framework == Vitest, !codeESM
	testExt := ext
	if p.framework == Vitest && !codeESM && !proj.module {
		testExt = ".mjs" // an ES module in a CommonJS package
	}
	p.file = strings.TrimSuffix(p.module, ext) + ".leak.test" + testExt
	path := filepath.Join(filepath.Dir(d.File), p.file)
	if _, err := os.Stat(path); err == nil {
		return nil, ErrExists
	}
	return &Test{Path: path, Text: p.render(), Framework: p.framework, Run: p.run()}, nil
}

// callPath finds the exported class whose constructor or method holds the
// finding and the method its fix edits (the close path), and returns the
// methods to call on each new instance.
func callPath(o *outline, d *report.Diagnostic) (*class, []string, error) {
	at := d.Static.Range.Start.Offset
	for i := range o.classes {
		c := &o.classes[i]
		m, ok := c.at(at)
		if !ok {
			continue
		}
		if _, exported := o.exportOf(c.name); !exported || c.ctor().required > 0 || m.static || m.required > 0 {
			return nil, nil, ErrNotCallable
		}
		closer, ok := fixedMethod(c, m, d.Fixes)
		if !ok {
			return nil, nil, ErrNotCallable
		}
		var calls []string
		if m.name != "constructor" {
			calls = append(calls, m.name)
		}
		return c, append(calls, closer.name), nil
	}
	return nil, nil, ErrNotCallable
}

// fixedMethod returns the method of c, other than the finding's own, that
// a fix edits and that takes no required arguments: the close path.
// Preferred fixes are looked at first.
func fixedMethod(c *class, own method, fixes []jsscan.Fix) (method, bool) {
	for _, preferred := range []bool{true, false} {
		for _, f := range fixes {
			if f.Preferred != preferred {
				continue
			}
			for _, e := range f.Edits {
				m, ok := c.at(e.Range.Start.Offset)
				if ok && m.bodyOff != own.bodyOff && !m.static && m.required == 0 && m.name != "constructor" {
					return m, true
				}
			}
		}
	}
	return method{}, false
}

// site is file:line:col (1-based) of the finding.
func site(d *report.Diagnostic) string {
	return fmt.Sprintf("%s:%d:%d", filepath.Base(d.File), d.Range.Start.Line+1, d.Range.Start.Column+1)
}

// firstSentence keeps a message's first sentence (up to ": " or "; " or ". ").
func firstSentence(msg string) string {
	for _, sep := range []string{"; ", ". "} {
		if i := strings.Index(msg, sep); i > 0 {
			msg = msg[:i]
		}
	}
	msg = strings.TrimSuffix(msg, ".") + "."
	return strings.ToUpper(msg[:1]) + msg[1:]
}
