package lsp

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leaklsp/leaklsp/jsscan"
)

// manifestEntry is the ground truth of one fixture snapshot.
type manifestEntry struct {
	File     string
	Scenario string
	Meta     struct {
		NodeCount int `json:"node_count"`
		EdgeCount int `json:"edge_count"`
	}
	ScriptPath  string `json:"script_path_in_snapshot"`
	GroundTruth struct {
		Leaks  bool
		Groups []struct {
			ID             string
			Role           string
			ExpectedCount  int `json:"expected_count"`
			AllocationSite *struct {
				File         string
				Line, Column int
			} `json:"allocation_site"`
		}
	} `json:"ground_truth"`
}

func manifest(t testing.TB, fx, file string) manifestEntry {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fx, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Snapshots []manifestEntry }
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, s := range m.Snapshots {
		if s.File == file {
			return s
		}
	}
	t.Fatalf("%s not in manifest", file)
	return manifestEntry{}
}

func noScanDir(string, jsscan.DirOptions) ([]jsscan.Finding, error) { return nil, nil }

// TestOpenSnapshotFixture loads the real a-timers-als snapshot: progress,
// the result's counts (manifest meta), a heap diagnostic on the file's
// ground-truth line (the setTimeout of Job, 30:20), the merge with the
// static finding once the file is open, hover, and closeSnapshot.
func TestOpenSnapshotFixture(t *testing.T) {
	fx := fixtures(t)
	m := manifest(t, fx, "snapshots/a-timers-als.heapsnapshot.gz")
	var site struct {
		File  string
		Line  int
		Count int
	}
	for _, g := range m.GroundTruth.Groups {
		if g.ID == "finished-timeout" {
			site.File, site.Line, site.Count = g.AllocationSite.File, g.AllocationSite.Line-1, g.ExpectedCount
		}
	}
	c := newClient(t, clientOpts{roots: []string{fx}, scan: fakeScan, scanDir: noScanDir, progress: true})
	snap := filepath.Join(fx, m.File)
	var res SnapshotResult
	from := c.since()
	c.call("workspace/executeCommand", `{"command":"leaklsp.server.openSnapshot","arguments":[{"path":`+jsonString(snap)+`}]}`, &res)
	if res.Path != snap || res.Nodes != m.Meta.NodeCount || res.Edges != m.Meta.EdgeCount || res.Suspects < 1 || res.Files < 1 {
		t.Fatalf("result = %+v, manifest nodes %d edges %d", res, m.Meta.NodeCount, m.Meta.EdgeCount)
	}
	kinds := progressKinds(c)
	if len(kinds) < 3 || kinds[0] != "begin" || kinds[len(kinds)-1] != "end" || !contains(kinds, "report") {
		t.Errorf("progress kinds = %v", kinds)
	}
	file := uri.File(filepath.Join(fx, site.File))
	p := c.waitDiags(from, file, "LEAK101 on the ground-truth line", func(p published) bool {
		for _, d := range p.Diagnostics {
			if d.Code == "LEAK101" && int(d.Range.Start.Line) == site.Line {
				return true
			}
		}
		return false
	})
	if p.Version != nil {
		t.Errorf("a file that is not open got version %d", *p.Version)
	}
	for _, d := range p.Diagnostics {
		if d.Code == "LEAK101" && (d.Severity != 1 || !strings.Contains(d.Message, "retained")) {
			t.Errorf("heap diagnostic = %+v", d)
		}
	}
	info := c.waitFor(from, "showMessage Info", func(n note) bool { return n.method == "window/showMessage" })
	var sm struct {
		Type    int
		Message string
	}
	_ = json.Unmarshal(info.params, &sm)
	if sm.Type != 3 || !strings.Contains(sm.Message, "loaded a-timers-als.heapsnapshot.gz") {
		t.Errorf("showMessage = %+v", sm)
	}

	// Open the file: fakeScan's LEAK001 on the same line merges with LEAK101.
	src, err := os.ReadFile(filepath.Join(fx, site.File))
	if err != nil {
		t.Fatal(err)
	}
	from = c.since()
	c.open(file, 1, string(src))
	p = c.waitDiags(from, file, "merged diagnostic", func(p published) bool {
		return p.Version != nil && len(p.Diagnostics) > 0 && hasMerged(p, site.Line)
	})
	var h struct{ Contents struct{ Value string } }
	c.call("textDocument/hover", `{"textDocument":{"uri":"`+string(file)+`"},"position":{"line":`+itoa(site.Line)+`,"character":6}}`, &h)
	// The hover adds the exact numbers (the manifest's count of finished
	// Timeouts), the retainer path, the fix and the doc link to the
	// message, which it does not repeat.
	if testing.Verbose() {
		t.Logf("hover:\n%s", h.Contents.Value)
	}
	for _, want := range []string{"LEAK101", "- objects: **" + itoa(site.Count) + "**", "retained size", "Retainer path", "confirmed by the heap snapshot",
		"Preferred quick fix: **Do not keep the Timeout**", "docs/rules/LEAK101.md"} {
		if !strings.Contains(h.Contents.Value, want) {
			t.Errorf("hover lacks %q:\n%s", want, h.Contents.Value)
		}
	}
	for _, d := range p.Diagnostics {
		if d.Code != "LEAK101" {
			continue
		}
		if strings.Contains(h.Contents.Value, d.Message) {
			t.Errorf("hover repeats the diagnostic's message %q", d.Message)
		}
	}

	from = c.since()
	c.call("workspace/executeCommand", `{"command":"leaklsp.server.closeSnapshot"}`, nil)
	c.waitDiags(from, file, "heap evidence cleared", func(p published) bool {
		return len(p.Diagnostics) == 1 && p.Diagnostics[0].Code == "LEAK001"
	})
}

func hasMerged(p published, line int) bool {
	for _, d := range p.Diagnostics {
		var data diagData
		_ = json.Unmarshal(d.Data, &data)
		if d.Code == "LEAK101" && data.Evidence == "both" && data.StaticCode == "LEAK001" && int(d.Range.Start.Line) == line && d.Severity == 1 {
			return true
		}
	}
	return false
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// A truncated snapshot: an error reply, an Error showMessage with the
// reason, and a server that keeps answering.
func TestOpenSnapshotTruncated(t *testing.T) {
	fx := fixtures(t)
	raw, err := os.ReadFile(filepath.Join(fx, "snapshots", "a-timers-als.heapsnapshot.gz"))
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "cut.heapsnapshot.gz")
	if err := os.WriteFile(bad, raw[:len(raw)/3], 0o644); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, clientOpts{roots: []string{t.TempDir()}, scan: fakeScan, scanDir: noScanDir})
	for _, path := range []string{bad, filepath.Join(t.TempDir(), "missing.heapsnapshot")} {
		from := c.since()
		err = c.tryCall("workspace/executeCommand", `{"command":"leaklsp.server.openSnapshot","arguments":[`+jsonString(path)+`]}`, nil)
		if code := errCode(err); code != codeRequestFailed {
			t.Fatalf("%s: err %v (code %d), want -32803", path, err, code)
		}
		n := c.waitFor(from, "Error showMessage", func(n note) bool { return n.method == "window/showMessage" })
		var sm struct {
			Type    int
			Message string
		}
		_ = json.Unmarshal(n.params, &sm)
		if sm.Type != 1 || !strings.Contains(sm.Message, filepath.Base(path)) {
			t.Fatalf("showMessage = %+v", sm)
		}
	}
	var none json.RawMessage
	c.call("textDocument/hover", `{"textDocument":{"uri":"file:///x.js"},"position":{"line":0,"character":0}}`, &none)
}

// Cancelling openSnapshot answers -32800 at once; the load is dropped.
func TestOpenSnapshotCancel(t *testing.T) {
	fx := fixtures(t)
	c := newClient(t, clientOpts{roots: []string{t.TempDir()}, scan: fakeScan, scanDir: noScanDir})
	type reply struct {
		id  string
		err error
	}
	done := make(chan reply, 1)
	from := c.since()
	go func() {
		var raw json.RawMessage
		id, err := c.conn.Call(t.Context(), "workspace/executeCommand", json.RawMessage(`{"command":"leaklsp.server.openSnapshot","workDoneToken":"tok","arguments":[{"path":`+jsonString(filepath.Join(fx, "snapshots", "c-async-recursion.tracked.heapsnapshot.gz"))+`}]}`), &raw)
		done <- reply{fmt.Sprint(id), err}
	}()
	c.waitFor(from, "progress begin", func(n note) bool { return n.method == "$/progress" && strings.Contains(string(n.params), `"begin"`) })
	// The server answers other requests while the snapshot loads.
	assertAlive(t, c, "openSnapshot in flight")
	select {
	case r := <-done:
		t.Fatalf("openSnapshot answered before the hover: %v", r.err)
	default:
	}
	// initialize was call 1, so the command is call 2.
	c.notify("$/cancelRequest", `{"id":2}`)
	select {
	case r := <-done:
		if code := errCode(r.err); code != protocol.CodeRequestCancelled {
			t.Fatalf("reply to %s: %v (code %d), want -32800", r.id, r.err, code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no reply after cancel")
	}
	c.srv.mu.Lock()
	loaded := c.srv.heap != nil
	c.srv.mu.Unlock()
	if loaded {
		t.Fatal("cancelled load was installed")
	}
}

// compareSnapshots with the control as baseline still loads and replies.
func TestCompareSnapshots(t *testing.T) {
	fx := fixtures(t)
	m := manifest(t, fx, "snapshots/a-timers-als.heapsnapshot.gz")
	c := newClient(t, clientOpts{roots: []string{fx}, scan: fakeScan, scanDir: noScanDir})
	var res SnapshotResult
	c.call("workspace/executeCommand", `{"command":"leaklsp.server.compareSnapshots","arguments":[{"baseline":`+jsonString(filepath.Join(fx, "snapshots", "g-control.heapsnapshot.gz"))+`,"target":`+jsonString(filepath.Join(fx, m.File))+`}]}`, &res)
	if res.Nodes != m.Meta.NodeCount || res.Baseline == "" || res.Suspects < 1 {
		t.Fatalf("compare result = %+v", res)
	}
	err := c.tryCall("workspace/executeCommand", `{"command":"leaklsp.server.compareSnapshots","arguments":[{"target":"x"}]}`, nil)
	if errCode(err) != -32602 {
		t.Fatalf("compare without baseline: %v", err)
	}
}

// The snapshot setting loads at startup and its pathMappings apply.
func TestSnapshotSetting(t *testing.T) {
	fx := fixtures(t)
	root := t.TempDir()
	// A workspace holding only a copy of the script, under another prefix.
	dst := filepath.Join(root, "lib", "a-timers-als.js")
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(filepath.Join(fx, "a-timers-als.js"))
	if err := os.WriteFile(dst, src, 0o644); err != nil {
		t.Fatal(err)
	}
	init := `{"snapshot":` + jsonString(filepath.Join(fx, "snapshots", "a-timers-als.heapsnapshot.gz")) + `,"pathMappings":{"/srv/app/heap":"lib"}}`
	c := newClient(t, clientOpts{roots: []string{root}, scan: fakeScan, scanDir: noScanDir, init: init})
	c.waitDiags(0, uri.File(dst), "heap diagnostic via pathMappings", func(p published) bool {
		for _, d := range p.Diagnostics {
			if d.Code == "LEAK101" && d.Range.Start.Line == 29 {
				return true
			}
		}
		return false
	})
}
