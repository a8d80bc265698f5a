package lsp

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leaklsp/leaklsp/internal/nodetest"
)

const canCreate = `{"workspace":{"workspaceEdit":{"resourceOperations":["rename","create","delete"]}}}` // as Neovim 0.7 announces it

// regressionAction is a code action with the documentChanges of a
// regression test: create the file, then insert its text.
type regressionAction struct {
	Title string
	Kind  string
	Edit  struct {
		DocumentChanges []struct {
			Kind         string
			URI          string
			TextDocument struct{ URI string }
			Edits        []protocol.TextEdit
		}
	}
}

// pollerWorkspace copies examples/poller into a workspace and writes a
// heap snapshot of its load with real node.
func pollerWorkspace(t *testing.T) (root, snapshot string) {
	t.Helper()
	node := nodetest.Binary(t)
	root = t.TempDir()
	for _, name := range []string{"poller.js", "load.js", "package.json"} {
		b, err := os.ReadFile(filepath.Join("..", "examples", "poller", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	snapshot = filepath.Join(t.TempDir(), "poller.heapsnapshot")
	cmd := exec.Command(node, "load.js", snapshot)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("load.js: %v\n%s", err, out)
	}
	return root, snapshot
}

// regressionActions opens poller.js, waits for diagnostics that satisfy
// ready, and returns the regression-test actions at the LEAK005/105 line.
func regressionActions(t *testing.T, c *testClient, root string, ready func(published) bool) []regressionAction {
	t.Helper()
	u := uri.File(filepath.Join(root, "poller.js"))
	src, _ := os.ReadFile(filepath.Join(root, "poller.js"))
	from := c.since()
	c.open(u, 1, string(src))
	p := c.waitDiags(from, u, "poller.js diagnostics", ready)
	var out []regressionAction
	for _, d := range p.Diagnostics {
		params, _ := json.Marshal(map[string]any{"textDocument": map[string]string{"uri": string(u)}, "range": d.Range, "context": map[string]any{"diagnostics": []any{}, "only": []string{"quickfix"}}})
		var acts []regressionAction
		c.call("textDocument/codeAction", string(params), &acts)
		for _, a := range acts {
			if a.Kind == string(KindRegressionTest) {
				out = append(out, a)
			}
		}
	}
	return out
}

// A heap-confirmed LEAK105 with its quick fix offers "Add leak regression
// test": an edit that creates poller.leak.test.js (node:test: the example's
// package.json names no runner) holding the test.
func TestRegressionTestAction(t *testing.T) {
	root, snap := pollerWorkspace(t)
	c := newClient(t, clientOpts{roots: []string{root}, scanDir: noScanDir, caps: canCreate,
		init: `{"snapshot":` + jsonString(snap) + `}`})
	acts := regressionActions(t, c, root, func(p published) bool { return hasMergedCode(p, "LEAK105") })
	if len(acts) != 1 {
		t.Fatalf("want one regression-test action, got %+v", acts)
	}
	a := acts[0]
	test := filepath.Join(root, "poller.leak.test.js")
	dc := a.Edit.DocumentChanges
	if a.Title != "Add leak regression test (node:test): poller.leak.test.js" || len(dc) != 2 ||
		dc[0].Kind != "create" || dc[0].URI != string(uri.File(test)) || dc[1].TextDocument.URI != string(uri.File(test)) || len(dc[1].Edits) != 1 {
		t.Fatalf("action = %+v", a)
	}
	text := dc[1].Edits[0].NewText
	for _, want := range []string{"require('node:test')", "require('leaklsp/testing')", "require('./poller.js')", "new Poller()", "await poller.stop();"} {
		if !strings.Contains(text, want) {
			t.Errorf("test lacks %q:\n%s", want, text)
		}
	}
}

// Negative: nothing without heap evidence (the static finding alone), and
// nothing for a client that cannot create files.
func TestRegressionTestActionNotOffered(t *testing.T) {
	root, snap := pollerWorkspace(t)
	c := newClient(t, clientOpts{roots: []string{root}, scanDir: noScanDir, caps: canCreate})
	if acts := regressionActions(t, c, root, func(p published) bool { return hasCode(p, "LEAK005") }); len(acts) != 0 {
		t.Errorf("offered without a heap snapshot: %+v", acts)
	}
	c2 := newClient(t, clientOpts{roots: []string{root}, scanDir: noScanDir, init: `{"snapshot":` + jsonString(snap) + `}`})
	if acts := regressionActions(t, c2, root, func(p published) bool { return hasMergedCode(p, "LEAK105") }); len(acts) != 0 {
		t.Errorf("offered to a client that cannot create files: %+v", acts)
	}
}

func hasMergedCode(p published, code string) bool {
	for _, d := range p.Diagnostics {
		var data diagData
		_ = json.Unmarshal(d.Data, &data)
		if d.Code == code && data.Evidence == "both" {
			return true
		}
	}
	return false
}
