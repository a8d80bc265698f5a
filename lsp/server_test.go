package lsp

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leaklsp/leaklsp/jsscan"
)

func TestInitializeCapabilities(t *testing.T) {
	c := newClient(t, clientOpts{})
	var res struct {
		Capabilities struct {
			TextDocumentSync struct {
				OpenClose bool
				Change    int
				Save      json.RawMessage
			}
			HoverProvider      bool
			CodeActionProvider struct {
				CodeActionKinds []string
			}
			ExecuteCommandProvider struct{ Commands []string }
		}
		ServerInfo struct{ Name, Version string }
	}
	c.call("initialize", `{"processId":null,"rootUri":null,"capabilities":{}}`, &res)
	caps := res.Capabilities
	if !caps.TextDocumentSync.OpenClose || caps.TextDocumentSync.Change != 2 || len(caps.TextDocumentSync.Save) == 0 {
		t.Errorf("textDocumentSync = %+v", caps.TextDocumentSync)
	}
	if !caps.HoverProvider {
		t.Error("no hoverProvider")
	}
	if got := strings.Join(caps.CodeActionProvider.CodeActionKinds, ","); got != "quickfix,source.fixAll.leaklsp" {
		t.Errorf("codeActionKinds = %s", got)
	}
	want := "leaklsp.server.openSnapshot,leaklsp.server.compareSnapshots,leaklsp.server.closeSnapshot,leaklsp.server.scanWorkspace"
	if got := strings.Join(caps.ExecuteCommandProvider.Commands, ","); got != want {
		t.Errorf("commands = %s", got)
	}
	if res.ServerInfo.Name != "leaklsp" || res.ServerInfo.Version != "test" {
		t.Errorf("serverInfo = %+v", res.ServerInfo)
	}
}

const timerJS = "class Job {\n  constructor() {\n    this.timeout = setTimeout(() => {}, 1);\n  }\n}\n"

func TestDiagnosticsOpenChangeClose(t *testing.T) {
	root := t.TempDir()
	c := newClient(t, clientOpts{roots: []string{root}, scan: fakeScan})
	u := uri.File(filepath.Join(root, "job.js"))
	from := c.since()
	c.open(u, 1, timerJS)
	p := c.waitDiags(from, u, "LEAK001 on open", func(p published) bool { return len(p.Diagnostics) == 1 })
	d := p.Diagnostics[0]
	if p.Version == nil || *p.Version != 1 {
		t.Errorf("version = %v, want 1", p.Version)
	}
	if d.Code != "LEAK001" || d.Source != "leaklsp" || d.Severity != 2 || d.CodeDesc.Href != "https://github.com/leaklsp/leaklsp/blob/main/docs/rules/LEAK001.md" {
		t.Errorf("diagnostic = %+v", d)
	}
	if d.Range.Start != (protocol.Position{Line: 2, Character: 4}) || d.Range.End != (protocol.Position{Line: 2, Character: 16}) {
		t.Errorf("range = %+v", d.Range)
	}
	var data diagData
	if err := json.Unmarshal(d.Data, &data); err != nil || data.Code != "LEAK001" || data.Evidence != "static" || data.Fixes != 2 {
		t.Errorf("data = %s (%v)", d.Data, err)
	}

	// Incremental edit deleting "this.timeout = " clears it; version 2.
	from = c.since()
	c.notify("textDocument/didChange", `{"textDocument":{"uri":"`+string(u)+`","version":2},"contentChanges":[{"range":{"start":{"line":2,"character":4},"end":{"line":2,"character":19}},"text":""}]}`)
	p = c.waitDiags(from, u, "empty list after fix", func(p published) bool { return len(p.Diagnostics) == 0 })
	if p.Version == nil || *p.Version != 2 {
		t.Errorf("version = %v, want 2", p.Version)
	}
	// An out-of-date change (version 2 again) is dropped, the text stays.
	c.notify("textDocument/didChange", `{"textDocument":{"uri":"`+string(u)+`","version":2},"contentChanges":[{"text":"garbage"}]}`)
	// Re-introduce the leak with a full-text change, then close: the file
	// does not exist on disk, so closing publishes an empty list.
	from = c.since()
	c.notify("textDocument/didChange", `{"textDocument":{"uri":"`+string(u)+`","version":3},"contentChanges":[{"text":`+jsonString(timerJS)+`}]}`)
	c.waitDiags(from, u, "LEAK001 again", func(p published) bool { return len(p.Diagnostics) == 1 && *p.Version == 3 })
	from = c.since()
	c.notify("textDocument/didClose", `{"textDocument":{"uri":"`+string(u)+`"}}`)
	p = c.waitDiags(from, u, "empty on close", func(p published) bool { return len(p.Diagnostics) == 0 })
	if p.Version != nil {
		t.Errorf("closed document published with version %d", *p.Version)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestApplyChangeUTF16(t *testing.T) {
	text := []byte("a😀b\r\nçd\nlast")
	cases := []struct {
		pos  protocol.Position
		want int // byte offset
	}{
		{protocol.Position{Line: 0, Character: 0}, 0},
		{protocol.Position{Line: 0, Character: 1}, 1},
		{protocol.Position{Line: 0, Character: 3}, 5}, // after the surrogate pair
		{protocol.Position{Line: 0, Character: 4}, 6},
		{protocol.Position{Line: 0, Character: 99}, 6}, // past the end: before \r\n
		{protocol.Position{Line: 1, Character: 1}, 10},
		{protocol.Position{Line: 2, Character: 4}, 16},
	}
	for _, tc := range cases {
		got, err := offsetOf(text, tc.pos)
		if err != nil || got != tc.want {
			t.Errorf("offsetOf(%+v) = %d, %v; want %d", tc.pos, got, err, tc.want)
		}
	}
	if _, err := offsetOf(text, protocol.Position{Line: 5}); err == nil {
		t.Error("line past the end accepted")
	}
	out, err := applyChange(text, &protocol.TextDocumentContentChangePartial{
		Range: protocol.Range{Start: protocol.Position{Line: 0, Character: 1}, End: protocol.Position{Line: 1, Character: 1}}, Text: "X",
	})
	if err != nil || string(out) != "aXd\nlast" {
		t.Errorf("applyChange = %q, %v", out, err)
	}
	// A lone '\r' ends a line too (LSP), and a column past the end stops at it.
	cr := []byte("a\rbc\rd\r\ne")
	for _, tc := range []struct {
		pos  protocol.Position
		want int
	}{{protocol.Position{Line: 1, Character: 1}, 3}, {protocol.Position{Line: 1, Character: 9}, 4},
		{protocol.Position{Line: 2, Character: 1}, 6}, {protocol.Position{Line: 3, Character: 1}, 9}} {
		if got, err := offsetOf(cr, tc.pos); err != nil || got != tc.want {
			t.Errorf("offsetOf(%q, %+v) = %d, %v; want %d", cr, tc.pos, got, err, tc.want)
		}
	}
}

// The same edit over the wire: columns after an astral character count two.
func TestIncrementalEditUTF16(t *testing.T) {
	root := t.TempDir()
	c := newClient(t, clientOpts{roots: []string{root}, scan: fakeScan})
	u := uri.File(filepath.Join(root, "emoji.js"))
	from := c.since()
	c.open(u, 1, "const s = '😀'; this.timeout = setTimeout(f, 1);\n")
	p := c.waitDiags(from, u, "diag after emoji", func(p published) bool { return len(p.Diagnostics) == 1 })
	if got := p.Diagnostics[0].Range.Start.Character; got != 16 {
		t.Fatalf("start column = %d, want 16 (UTF-16)", got)
	}
	from = c.since()
	// Insert "é" right after the emoji (UTF-16 column 13).
	c.notify("textDocument/didChange", `{"textDocument":{"uri":"`+string(u)+`","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":13},"end":{"line":0,"character":13}},"text":"é"}]}`)
	p = c.waitDiags(from, u, "shifted diag", func(p published) bool { return len(p.Diagnostics) == 1 && *p.Version == 2 })
	if got := p.Diagnostics[0].Range.Start.Character; got != 17 {
		t.Fatalf("start column after edit = %d, want 17", got)
	}
	path := filepath.Join(root, "emoji.js")
	c.srv.mu.Lock()
	text := string(c.srv.docs[path].text)
	c.srv.mu.Unlock()
	if text != "const s = '😀é'; this.timeout = setTimeout(f, 1);\n" {
		t.Fatalf("document text = %q", text)
	}
}

type action struct {
	Title       string
	Kind        string
	IsPreferred bool
	Diagnostics []json.RawMessage
	Edit        struct {
		Changes map[string][]protocol.TextEdit
	}
}

func (c *testClient) codeActions(u uri.URI, r protocol.Range, only ...string) []action {
	c.t.Helper()
	ctx := map[string]any{"diagnostics": []any{}}
	if len(only) > 0 {
		ctx["only"] = only
	}
	params, _ := json.Marshal(map[string]any{"textDocument": map[string]string{"uri": string(u)}, "range": r, "context": ctx})
	var out []action
	c.call("textDocument/codeAction", string(params), &out)
	return out
}

func TestCodeActionsQuickFixAndSuppress(t *testing.T) {
	root := t.TempDir()
	c := newClient(t, clientOpts{roots: []string{root}, scan: fakeScan})
	u := uri.File(filepath.Join(root, "job.js"))
	from := c.since()
	c.open(u, 1, timerJS)
	p := c.waitDiags(from, u, "LEAK001", func(p published) bool { return len(p.Diagnostics) == 1 })
	actions := c.codeActions(u, p.Diagnostics[0].Range, "quickfix")
	if len(actions) != 3 {
		t.Fatalf("want 2 fixes + 1 suppression, got %+v", actions)
	}
	if !actions[0].IsPreferred || actions[0].Kind != "quickfix" || actions[1].IsPreferred || len(actions[0].Diagnostics) != 1 {
		t.Fatalf("preferred fix first: %+v", actions)
	}
	fixed := applyEdits(t, timerJS, actions[0].Edit.Changes[string(u)])
	if want := strings.Replace(timerJS, "this.timeout = ", "", 1); fixed != want {
		t.Fatalf("preferred fix gives\n%s\nwant\n%s", fixed, want)
	}
	suppress := actions[2]
	if !strings.Contains(suppress.Title, "LEAK001") {
		t.Fatalf("suppression title %q", suppress.Title)
	}
	suppressed := applyEdits(t, timerJS, suppress.Edit.Changes[string(u)])
	if !strings.Contains(suppressed, "\n    // leaklsp-ignore LEAK001\n    this.timeout = setTimeout") {
		t.Fatalf("suppression edit gives\n%s", suppressed)
	}
	// Applying either edit clears the diagnostic.
	for i, text := range []string{fixed, suppressed} {
		from = c.since()
		c.notify("textDocument/didChange", `{"textDocument":{"uri":"`+string(u)+`","version":`+itoa(2+2*i)+`},"contentChanges":[{"text":`+jsonString(text)+`}]}`)
		c.waitDiags(from, u, "cleared", func(p published) bool { return len(p.Diagnostics) == 0 })
		from = c.since()
		c.notify("textDocument/didChange", `{"textDocument":{"uri":"`+string(u)+`","version":`+itoa(3+2*i)+`},"contentChanges":[{"text":`+jsonString(timerJS)+`}]}`)
		c.waitDiags(from, u, "back", func(p published) bool { return len(p.Diagnostics) == 1 })
	}
	// Nothing for a range without diagnostics; no fixAll under "quickfix".
	if got := c.codeActions(u, protocol.Range{Start: protocol.Position{Line: 0}, End: protocol.Position{Line: 0, Character: 3}}, "quickfix"); len(got) != 0 {
		t.Fatalf("actions on a clean range: %+v", got)
	}
}

func TestFixAll(t *testing.T) {
	root := t.TempDir()
	c := newClient(t, clientOpts{roots: []string{root}, scan: fakeScan})
	u := uri.File(filepath.Join(root, "two.js"))
	text := timerJS + "function f() {\n\tthis.timeout = setTimeout(g, 5);\n}\n"
	from := c.since()
	c.open(u, 1, text)
	c.waitDiags(from, u, "two diags", func(p published) bool { return len(p.Diagnostics) == 2 })
	actions := c.codeActions(u, protocol.Range{}, "source.fixAll.leaklsp")
	if len(actions) != 1 || actions[0].Kind != "source.fixAll.leaklsp" || len(actions[0].Diagnostics) != 2 {
		t.Fatalf("fixAll = %+v", actions)
	}
	got := applyEdits(t, text, actions[0].Edit.Changes[string(u)])
	if want := strings.ReplaceAll(text, "this.timeout = ", ""); got != want {
		t.Fatalf("fixAll gives\n%s\nwant\n%s", got, want)
	}
	// "source" asks for every source action, including ours.
	if a := c.codeActions(u, protocol.Range{}, "source"); len(a) != 1 {
		t.Fatalf("only=source: %+v", a)
	}
}

func TestHoverStatic(t *testing.T) {
	root := t.TempDir()
	c := newClient(t, clientOpts{roots: []string{root}, scan: fakeScan})
	u := uri.File(filepath.Join(root, "job.js"))
	from := c.since()
	c.open(u, 1, timerJS)
	c.waitDiags(from, u, "LEAK001", func(p published) bool { return len(p.Diagnostics) == 1 })
	var h struct {
		Contents struct{ Kind, Value string }
		Range    protocol.Range
	}
	c.call("textDocument/hover", `{"textDocument":{"uri":"`+string(u)+`"},"position":{"line":2,"character":8}}`, &h)
	if h.Contents.Kind != "markdown" || !strings.Contains(h.Contents.Value, "**LEAK001**") || !strings.Contains(h.Contents.Value, "docs/rules/LEAK001.md") {
		t.Fatalf("hover = %+v", h)
	}
	// It adds what the message does not say, and does not repeat it: what
	// fakeScan's two fixes change (drop `this.timeout = ` at 3:5-3:20,
	// append ` /* unref */`), and that no snapshot backs it yet.
	for _, want := range []string{
		"Preferred quick fix: **Do not keep the Timeout**\n- line 3: removes 3:5–3:20",
		"Quick fix: **Unref the timer** (review it; `check --fix` leaves it out)\n- line 3: inserts `/* unref */`",
		"No heap snapshot backs this yet",
	} {
		if !strings.Contains(h.Contents.Value, want) {
			t.Errorf("hover lacks %q:\n%s", want, h.Contents.Value)
		}
	}
	if strings.Contains(h.Contents.Value, "The Timeout stays referenced after it fired.") {
		t.Errorf("hover repeats the diagnostic's message:\n%s", h.Contents.Value)
	}
	var none json.RawMessage
	c.call("textDocument/hover", `{"textDocument":{"uri":"`+string(u)+`"},"position":{"line":0,"character":1}}`, &none)
	if string(none) != "" && string(none) != "null" {
		t.Fatalf("hover off a diagnostic = %s", none)
	}
}

func TestSkipOutsideWorkspaceAndNodeModules(t *testing.T) {
	root, other := t.TempDir(), t.TempDir()
	c := newClient(t, clientOpts{roots: []string{root}, scan: fakeScan})
	outside := uri.File(filepath.Join(other, "lib.js"))
	nm := uri.File(filepath.Join(root, "node_modules", "x", "index.js"))
	inside := uri.File(filepath.Join(root, "app.js"))
	from := c.since()
	c.open(outside, 1, timerJS)
	c.open(nm, 1, timerJS)
	c.open(inside, 1, timerJS)
	c.waitDiags(from, inside, "inside diag", func(p published) bool { return len(p.Diagnostics) == 1 })
	c.srv.mu.Lock()
	lintable := []bool{c.srv.docs[filepath.Join(other, "lib.js")].lintable, c.srv.docs[filepath.Join(root, "node_modules", "x", "index.js")].lintable}
	c.srv.mu.Unlock()
	if lintable[0] || lintable[1] {
		t.Fatalf("outside/node_modules documents marked lintable: %v", lintable)
	}
	for _, n := range c.all(protocol.MethodTextDocumentPublishDiagnostics) {
		var p published
		_ = json.Unmarshal(n.params, &p)
		if p.URI == string(outside) || p.URI == string(nm) {
			t.Fatalf("published for %s", p.URI)
		}
	}
}

func TestWorkspaceScanOnInitialized(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "src", "job.js")
	scanDir := func(r string, o jsscan.DirOptions) ([]jsscan.Finding, error) {
		return fakeScan(file, []byte(timerJS)), nil
	}
	c := newClient(t, clientOpts{roots: []string{root}, scan: fakeScan, scanDir: scanDir, progress: true})
	p := c.waitDiags(0, uri.File(file), "workspace-scan diag", func(p published) bool { return len(p.Diagnostics) == 1 })
	if p.Version != nil {
		t.Errorf("a file that is not open got version %d", *p.Version)
	}
	c.waitFor(0, "progress end", func(n note) bool { return n.method == "$/progress" && strings.Contains(string(n.params), `"end"`) })
	kinds := progressKinds(c)
	if len(kinds) < 2 || kinds[0] != "begin" || kinds[len(kinds)-1] != "end" {
		t.Fatalf("progress = %v", kinds)
	}
	if len(c.all("window/workDoneProgress/create")) == 0 {
		t.Fatal("no workDoneProgress/create although the client supports it")
	}
}

// Without window.workDoneProgress the server creates no token and sends no
// $/progress of its own.
func TestNoProgressWithoutCapability(t *testing.T) {
	root := t.TempDir()
	called := make(chan struct{}, 1)
	scanDir := func(string, jsscan.DirOptions) ([]jsscan.Finding, error) {
		called <- struct{}{}
		return nil, nil
	}
	c := newClient(t, clientOpts{roots: []string{root}, scan: fakeScan, scanDir: scanDir})
	<-called
	var res map[string]int
	c.call("workspace/executeCommand", `{"command":"leaklsp.server.scanWorkspace"}`, &res)
	if len(c.all("window/workDoneProgress/create")) != 0 || len(c.all("$/progress")) != 0 {
		t.Fatal("progress sent to a client without the capability")
	}
}

func progressKinds(c *testClient) []string {
	var kinds []string
	for _, n := range c.all("$/progress") {
		var p struct{ Value struct{ Kind string } }
		_ = json.Unmarshal(n.params, &p)
		kinds = append(kinds, p.Value.Kind)
	}
	return kinds
}

func TestSettingsShapes(t *testing.T) {
	for _, raw := range []string{
		`{"settings":{"leaklsp":{"snapshot":"s.heapsnapshot","rules":{"LEAK001":false},"debounceMs":5,"pathMappings":{"/srv/app":"."}}}}`,
		`{"leaklsp":{"snapshot":"s.heapsnapshot","rules":{"LEAK001":false},"debounceMs":5,"pathMappings":{"/srv/app":"."}}}`,
		`{"snapshot":"s.heapsnapshot","rules":{"LEAK001":false},"debounceMs":5,"pathMappings":{"/srv/app":"."}}`,
	} {
		st, err := parseSettings([]byte(raw))
		if err != nil || st.Snapshot != "s.heapsnapshot" || st.Rules["LEAK001"] || st.DebounceMs != 5 || st.PathMappings["/srv/app"] != "." {
			t.Errorf("parseSettings(%s) = %+v, %v", raw, st, err)
		}
	}
	if st, err := parseSettings(nil); err != nil || st.DebounceMs != 200 {
		t.Errorf("defaults = %+v %v", st, err)
	}
	for _, bad := range []string{`"x"`, `{"debounceMs":"fast"}`, `{"debounceMs":-1}`, `[1]`} {
		if _, err := parseSettings([]byte(bad)); err == nil {
			t.Errorf("parseSettings(%s) accepted", bad)
		}
	}
}

// openWithLEAK001Off opens job.js (timerJS) in a workspace whose
// initializationOptions turn LEAK001 off, and waits for its empty
// diagnostics.
func openWithLEAK001Off(t *testing.T) (*testClient, uri.URI) {
	t.Helper()
	root := t.TempDir()
	c := newClient(t, clientOpts{roots: []string{root}, scan: fakeScan, init: `{"rules":{"LEAK001":false}}`})
	u := uri.File(filepath.Join(root, "job.js"))
	from := c.since()
	c.open(u, 1, timerJS)
	c.waitDiags(from, u, "LEAK001 disabled by initializationOptions", func(p published) bool { return len(p.Diagnostics) == 0 })
	return c, u
}

func TestDidChangeConfigurationRules(t *testing.T) {
	c, u := openWithLEAK001Off(t)
	from := c.since()
	c.notify("workspace/didChangeConfiguration", `{"settings":{"leaklsp":{"rules":{"LEAK001":true}}}}`)
	c.waitDiags(from, u, "LEAK001 enabled", func(p published) bool { return len(p.Diagnostics) == 1 })
	from = c.since()
	c.notify("workspace/didChangeConfiguration", `{"settings":{"rules":{"LEAK001":false}}}`)
	c.waitDiags(from, u, "LEAK001 disabled again", func(p published) bool { return len(p.Diagnostics) == 0 })
}

func TestUnknownRequestAndCommand(t *testing.T) {
	c := newClient(t, clientOpts{roots: []string{t.TempDir()}, scan: fakeScan})
	err := c.tryCall("textDocument/definition", `{"textDocument":{"uri":"file:///x.js"},"position":{"line":0,"character":0}}`, nil)
	if code := errCode(err); code != jsonrpc2.MethodNotFound {
		t.Errorf("definition: %v (code %d), want -32601", err, code)
	}
	err = c.tryCall("leaklsp/whatever", `{}`, nil)
	if code := errCode(err); code != jsonrpc2.MethodNotFound {
		t.Errorf("custom method: %v (code %d), want -32601", err, code)
	}
	err = c.tryCall("workspace/executeCommand", `{"command":"leaklsp.server.nope"}`, nil)
	if code := errCode(err); code != jsonrpc2.InvalidParams {
		t.Errorf("unknown command: %v (code %d)", err, code)
	}
	for _, args := range []string{`[]`, `[{"path":5}]`, `[{}]`, `[""]`, `[7]`} {
		err = c.tryCall("workspace/executeCommand", `{"command":"leaklsp.server.openSnapshot","arguments":`+args+`}`, nil)
		if code := errCode(err); code != jsonrpc2.InvalidParams {
			t.Errorf("openSnapshot %s: %v (code %d)", args, err, code)
		}
	}
}

func errCode(err error) jsonrpc2.Code {
	var e *jsonrpc2.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

func TestExit(t *testing.T) {
	c := newClient(t, clientOpts{roots: []string{t.TempDir()}})
	c.call("shutdown", `null`, nil)
	c.notify("exit", `null`)
	if code := <-c.exit; code != 0 {
		t.Fatalf("exit after shutdown = %d, want 0", code)
	}
	c2 := newClient(t, clientOpts{roots: []string{t.TempDir()}})
	c2.notify("exit", `null`)
	if code := <-c2.exit; code != 1 {
		t.Fatalf("exit without shutdown = %d, want 1", code)
	}
}

// With the real scanner on the real fixture: the preferred quick fix and the
// suppression comment (which jsscan must honour) each clear LEAK001.
func TestRealScannerFixAndSuppress(t *testing.T) {
	fx := fixtures(t)
	src, err := os.ReadFile(filepath.Join(fx, "a-timers-als.js"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	c := newClient(t, clientOpts{roots: []string{root}, scanDir: noScanDir})
	u := uri.File(filepath.Join(root, "a-timers-als.js"))
	from := c.since()
	c.open(u, 1, string(src))
	p := c.waitDiags(from, u, "LEAK001 from jsscan", func(p published) bool { return hasCode(p, "LEAK001") })
	var rng protocol.Range
	for _, d := range p.Diagnostics {
		if d.Code == "LEAK001" {
			rng = d.Range
		}
	}
	if rng.Start.Line != 29 { // manifest: a-timers-als.js:30:20, the stored setTimeout
		t.Errorf("LEAK001 at line %d, want 29 (0-based)", rng.Start.Line)
	}
	actions := c.codeActions(u, rng, "quickfix")
	var preferred, suppress *action
	for i := range actions {
		if actions[i].IsPreferred && preferred == nil {
			preferred = &actions[i]
		}
		if strings.Contains(actions[i].Title, "leaklsp-ignore") {
			suppress = &actions[i]
		}
	}
	if preferred == nil || suppress == nil {
		t.Fatalf("actions = %+v", actions)
	}
	for i, a := range []*action{preferred, suppress} {
		text := applyEdits(t, string(src), a.Edit.Changes[string(u)])
		from = c.since()
		c.notify("textDocument/didChange", `{"textDocument":{"uri":"`+string(u)+`","version":`+itoa(2+i)+`},"contentChanges":[{"text":`+jsonString(text)+`}]}`)
		c.waitDiags(from, u, a.Title+" clears LEAK001", func(p published) bool { return *p.Version == int32(2+i) && !hasCode(p, "LEAK001") })
	}
}

func hasCode(p published, code string) bool {
	for _, d := range p.Diagnostics {
		if d.Code == code {
			return true
		}
	}
	return false
}

// A file opened while the initial workspace scan runs gets one first
// publication, the real one: the workspace scan finishing before the
// file's own first scan must not publish an empty list for it (it did: the
// open document had no findings yet, and publish took that for "none").
func TestOpenDuringWorkspaceScanNoEmptyFirst(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "job.js")
	u := uri.File(file)
	wsRelease, docRelease := make(chan struct{}), make(chan struct{})
	scanDir := func(string, jsscan.DirOptions) ([]jsscan.Finding, error) {
		<-wsRelease
		return fakeScan(file, []byte(timerJS)), nil
	}
	scan := func(p string, src []byte) []jsscan.Finding {
		if p == file {
			<-docRelease
		}
		return fakeScan(p, src)
	}
	c := newClient(t, clientOpts{roots: []string{root}, scan: scan, scanDir: scanDir, progress: true})
	c.open(u, 1, timerJS)
	// The document is open (its scan is held): now the workspace scan ends.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		c.srv.mu.Lock()
		opened := c.srv.docs[file] != nil
		c.srv.mu.Unlock()
		if opened {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("didOpen not handled")
		}
	}
	close(wsRelease)
	c.waitFor(0, "workspace scan end", func(n note) bool { return n.method == "$/progress" && strings.Contains(string(n.params), `"end"`) })
	close(docRelease)
	c.waitDiags(0, u, "LEAK001 on the opened file", func(p published) bool { return len(p.Diagnostics) == 1 })
	pubs := 0
	for _, n := range c.all(protocol.MethodTextDocumentPublishDiagnostics) {
		var p published
		_ = json.Unmarshal(n.params, &p)
		if p.URI != string(u) {
			continue
		}
		pubs++
		if pubs == 1 && len(p.Diagnostics) != 1 {
			t.Errorf("first publication for the just-opened file has %d diagnostics, want the real 1", len(p.Diagnostics))
		}
	}
}
