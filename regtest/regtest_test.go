package regtest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/jsscan"
	"github.com/leaklsp/leaklsp/report"
)

// confirmed is the diagnostic the merge makes of src's static finding of
// code and a heap suspect on its line: the static finding, its fixes, the
// heap code. (TestGeneratedTestRuns takes it from a real snapshot.)
func confirmed(t *testing.T, path, src, code string) *report.Diagnostic {
	t.Helper()
	for _, f := range jsscan.Scan(path, []byte(src)) {
		if f.Code != code {
			continue
		}
		return &report.Diagnostic{
			File: path, Code: "LEAK1" + code[5:], Source: report.Both, Static: &f, Fixes: f.Fixes,
			Range: report.Range{Start: report.Pos{Line: f.Range.Start.Line, Column: f.Range.Start.Column}},
			Heap:  &heap.Suspect{Code: "LEAK1" + code[5:]},
		}
	}
	t.Fatalf("jsscan finds no %s in\n%s", code, src)
	return nil
}

const pollerSrc = `'use strict';
class Poller {
  constructor() {
    this.samples = [];
    this.timer = setInterval(() => this.sample(), 1000);
  }
  sample() { this.samples.push(1); }
  stop() { this.stopped = true; }
}
module.exports = { Poller };
`

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The interval an object starts in its constructor or in a method, with
// the close method the fix edits, gives a test per runner that constructs,
// starts and closes; the test sits next to the code.
func TestForIntervalPerObject(t *testing.T) {
	for _, tc := range []struct {
		name, src, pkg string
		file           string
		fw             Framework
		want           []string
	}{
		{"constructor, CommonJS, node:test", pollerSrc, `{}`, "poller.leak.test.js", NodeTest,
			[]string{"const test = require('node:test');", "const { Poller } = require('./poller.js');", "const poller = new Poller();", "await poller.stop();"}},
		{"start method, mocha", strings.Replace(pollerSrc, "    this.timer = setInterval(() => this.sample(), 1000);\n  }", "  }\n  start() {\n    this.timer = setInterval(() => this.sample(), 1000);\n  }", 1),
			`{"devDependencies":{"mocha":"10"}}`, "poller.leak.test.js", Mocha,
			[]string{"it(", "this.timeout(60_000);", "await poller.start();\n    await poller.stop();"}},
		{"vitest over CommonJS: an ES test that requires it", pollerSrc, `{"scripts":{"test":"vitest"}}`, "poller.leak.test.mjs", Vitest,
			[]string{"import { test } from 'vitest';", "const require = createRequire(import.meta.url);", "}, 60_000);"}},
		{"ES module, jest, default export", strings.Replace(strings.Replace(pollerSrc, "module.exports = { Poller };", "export default Poller;", 1), "'use strict';\n", "", 1),
			`{"type":"module","devDependencies":{"jest":"29"}}`, "poller.leak.test.js", Jest,
			[]string{"import { assertNoLeak } from 'leaklsp/testing';", "import Poller from './poller.js';", "}, 60_000);"}},
		{"jest over CommonJS: Node's own require", pollerSrc, `{"devDependencies":{"jest":"29"}}`, "poller.leak.test.js", Jest,
			[]string{"process.getBuiltinModule?.('node:module') ?? require('node:module');", "const { Poller } = nodeRequire('./poller.js');"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "package.json", tc.pkg)
			path := write(t, dir, "poller.js", tc.src)
			test, err := For(confirmed(t, path, tc.src, jsscan.CodeIntervalPerObject), []byte(tc.src), dir)
			if err != nil {
				t.Fatal(err)
			}
			if test.Path != filepath.Join(dir, tc.file) || test.Framework != tc.fw {
				t.Errorf("path %s framework %s, want %s and %s", test.Path, test.Framework, tc.file, tc.fw)
			}
			for _, w := range tc.want {
				if !strings.Contains(test.Text, w) {
					t.Errorf("no %q in\n%s", w, test.Text)
				}
			}
		})
	}
}

// Negative: no test when the finding is not heap-confirmed or has no fix,
// when calling its code does not show the leak (LEAK001), when the class
// cannot be built or closed without arguments or is not exported, for
// compiled sources, and when the test file exists.
func TestForNotOffered(t *testing.T) {
	dir := t.TempDir()
	check := func(name, src, code string, edit func(*report.Diagnostic), want error) {
		t.Helper()
		path := write(t, dir, "poller.js", src)
		d := confirmed(t, path, src, code)
		if edit != nil {
			edit(d)
		}
		if _, err := For(d, []byte(src), dir); !errors.Is(err, want) {
			t.Errorf("%s: err %v, want %v", name, err, want)
		}
	}
	check("static only", pollerSrc, jsscan.CodeIntervalPerObject, func(d *report.Diagnostic) { d.Source = report.Static }, ErrNotConfirmed)
	check("no fix", pollerSrc, jsscan.CodeIntervalPerObject, func(d *report.Diagnostic) { d.Fixes = nil }, ErrNotConfirmed)
	timer := "class Job {\n  constructor() {\n    this.timeout = setTimeout(() => { this.done = true; }, 1);\n  }\n}\nmodule.exports = { Job };\n"
	check("timer token", timer, jsscan.CodeTimerToken, nil, ErrNoCallPath)
	check("constructor arguments", strings.Replace(pollerSrc, "constructor()", "constructor(every)", 1), jsscan.CodeIntervalPerObject, nil, ErrNotCallable)
	check("close arguments", strings.Replace(pollerSrc, "stop()", "stop(reason)", 1), jsscan.CodeIntervalPerObject, nil, ErrNotCallable)
	check("not exported", strings.Replace(pollerSrc, "module.exports = { Poller };", "module.exports = { make: () => new Poller() };", 1), jsscan.CodeIntervalPerObject, nil, ErrNotCallable)
	check("compiled source", pollerSrc, jsscan.CodeIntervalPerObject, func(d *report.Diagnostic) { d.File = filepath.Join(dir, "poller.ts") }, ErrNotCallable)
	write(t, dir, "poller.leak.test.js", "// mine\n")
	check("test exists", pollerSrc, jsscan.CodeIntervalPerObject, nil, ErrExists)
}
