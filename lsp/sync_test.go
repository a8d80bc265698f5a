package lsp

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leaklsp/leaklsp/jsscan"
)

type fixAllAction struct {
	Kind string
	Edit struct {
		Changes map[string][]protocol.TextEdit
	}
}

func (c *testClient) fixAll(u uri.URI) []fixAllAction {
	var acts []fixAllAction
	c.call("textDocument/codeAction", `{"textDocument":{"uri":"`+string(u)+`"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[],"only":["source.fixAll.leaklsp"]}}`, &acts)
	return acts
}

// A code action asked for between an edit and its (debounced) scan, as
// editor.codeActionsOnSave does, is built against the current text.
func TestCodeActionAfterUnscannedEdit(t *testing.T) {
	root := t.TempDir()
	c := newClient(t, clientOpts{roots: []string{root}, scan: fakeScan, scanDir: noScanDir, debounce: time.Hour})
	u := uri.File(filepath.Join(root, "job.js"))
	from := c.since()
	c.open(u, 1, timerJS)
	c.waitDiags(from, u, "v1", func(p published) bool { return len(p.Diagnostics) == 1 })
	c.notify("textDocument/didChange", `{"textDocument":{"uri":"`+string(u)+`","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"text":"// note\n"}]}`)
	acts := c.fixAll(u)
	if len(acts) != 1 {
		t.Fatalf("fixAll actions: %+v", acts)
	}
	v2 := "// note\n" + timerJS
	got := applyEdits(t, v2, acts[0].Edit.Changes[string(u)])
	if want := "// note\n" + strings.Replace(timerJS, "this.timeout = ", "", 1); got != want {
		t.Fatalf("fixAll applied to v2:\n%s\nwant\n%s", got, want)
	}
}

// gatedScan holds scans of texts containing "GATE" until released.
type gatedScan struct {
	once             sync.Once
	entered, release chan struct{}
}

func (g *gatedScan) scan(p string, src []byte) []jsscan.Finding {
	if strings.Contains(string(src), "GATE") {
		g.once.Do(func() { close(g.entered) })
		<-g.release
	}
	return fakeScan(p, src)
}

// A scan still running when its document is closed must not land in the
// document reopened under the same path.
func TestReopenDuringScan(t *testing.T) {
	root := t.TempDir()
	g := &gatedScan{entered: make(chan struct{}), release: make(chan struct{})}
	c := newClient(t, clientOpts{roots: []string{root}, scan: g.scan, scanDir: noScanDir})
	u := uri.File(filepath.Join(root, "job.js"))
	c.open(u, 10, "// GATE\n"+timerJS)
	<-g.entered
	c.notify("textDocument/didClose", `{"textDocument":{"uri":"`+string(u)+`"}}`)
	from := c.since()
	c.open(u, 1, "const clean = 1;\n")
	c.waitDiags(from, u, "the reopened document", func(p published) bool { return p.Version != nil && *p.Version == 1 })
	close(g.release)
	c.notify("textDocument/didChange", `{"textDocument":{"uri":"`+string(u)+`","version":2},"contentChanges":[{"text":"const clean = 2;\n"}]}`)
	c.waitDiags(from, u, "version 2", func(p published) bool { return p.Version != nil && *p.Version == 2 })
	for _, n := range c.receivedSince(from, protocol.MethodTextDocumentPublishDiagnostics) {
		var p published
		_ = json.Unmarshal(n.params, &p)
		if p.Version != nil && *p.Version == 10 {
			t.Fatalf("the closed document's scan was published into the reopened one: %s", n.params)
		}
	}
}

// receivedSince returns the messages of method received from index from on.
func (c *testClient) receivedSince(from int, method string) []note {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []note
	for _, n := range c.notes[from:] {
		if n.method == method {
			out = append(out, n)
		}
	}
	return out
}

// A change that cannot be applied leaves the document out of sync: its
// diagnostics are cleared and no edits are offered until a full-text
// change brings it back.
func TestChangeOutOfRangeUnsyncs(t *testing.T) {
	root := t.TempDir()
	c := newClient(t, clientOpts{roots: []string{root}, scan: fakeScan, scanDir: noScanDir})
	u := uri.File(filepath.Join(root, "job.js"))
	from := c.since()
	c.open(u, 1, timerJS)
	c.waitDiags(from, u, "v1", func(p published) bool { return len(p.Diagnostics) == 1 })
	from = c.since()
	c.notify("textDocument/didChange", `{"textDocument":{"uri":"`+string(u)+`","version":2},"contentChanges":[{"range":{"start":{"line":99,"character":0},"end":{"line":99,"character":0}},"text":"x"}]}`)
	c.waitDiags(from, u, "cleared", func(p published) bool { return len(p.Diagnostics) == 0 })
	c.notify("textDocument/didChange", `{"textDocument":{"uri":"`+string(u)+`","version":3},"contentChanges":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"text":"// x\n"}]}`)
	if acts := c.fixAll(u); len(acts) != 0 {
		t.Fatalf("fixAll on an unsynced document: %+v", acts)
	}
	from = c.since()
	c.notify("textDocument/didChange", `{"textDocument":{"uri":"`+string(u)+`","version":4},"contentChanges":[{"text":`+jsonString(timerJS)+`}]}`)
	c.waitDiags(from, u, "back after a full-text change", func(p published) bool { return p.Version != nil && *p.Version == 4 && len(p.Diagnostics) == 1 })
}

// {"settings": null} is vscode-languageclient's "configuration changed"
// ping: it must not reset what initializationOptions set.
func TestEmptySettingsChangeNothing(t *testing.T) {
	c, u := openWithLEAK001Off(t)
	for _, ping := range []string{`{"settings":null}`, `{"settings":{}}`, `{"settings":{"leaklsp":null}}`} {
		c.notify("workspace/didChangeConfiguration", ping)
	}
	from := c.since()
	c.notify("textDocument/didChange", `{"textDocument":{"uri":"`+string(u)+`","version":2},"contentChanges":[{"text":`+jsonString(timerJS+"\n")+`}]}`)
	p := c.waitDiags(from, u, "version 2", func(p published) bool { return p.Version != nil && *p.Version == 2 })
	if len(p.Diagnostics) != 0 {
		t.Fatalf("an empty settings change re-enabled LEAK001: %+v", p.Diagnostics)
	}
}

// Configuration changes apply in the order sent: the last one holds.
func TestConfigurationChangesInOrder(t *testing.T) {
	root := t.TempDir()
	c := newClient(t, clientOpts{roots: []string{root}, scan: fakeScan})
	for i := range 20 {
		c.notify("workspace/didChangeConfiguration", `{"settings":{"rules":{"LEAK001":`+map[bool]string{true: "true", false: "false"}[i%2 == 1]+`}}}`)
	}
	c.call("textDocument/hover", `{"textDocument":{"uri":"file:///none.js"},"position":{"line":0,"character":0}}`, nil)
	c.srv.mu.Lock()
	on := c.srv.settings.Rules["LEAK001"]
	c.srv.mu.Unlock()
	if !on {
		t.Fatal("the last configuration sent (LEAK001 on) did not hold")
	}
}

// After shutdown, requests get InvalidRequest (LSP spec); exit still works.
func TestRequestsAfterShutdown(t *testing.T) {
	c := newClient(t, clientOpts{roots: []string{t.TempDir()}})
	c.call("shutdown", `null`, nil)
	err := c.tryCall("textDocument/hover", `{"textDocument":{"uri":"file:///x.js"},"position":{"line":0,"character":0}}`, nil)
	if code := errCode(err); code != -32600 {
		t.Fatalf("hover after shutdown: %v (code %d), want InvalidRequest", err, code)
	}
	c.notify("exit", `null`)
	if code := <-c.exit; code != 0 {
		t.Fatalf("exit after shutdown = %d", code)
	}
}
