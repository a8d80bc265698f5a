package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// timersTruth is the ground truth of the a-timers-als fixture the lens
// tests check against: the timer callback (manifest group timer-callback,
// 30:31) with 3000 fired Timeouts and 3000 callback closures.
type timersTruth struct {
	file      uri.URI
	line, col int // 0-based
	count     int
}

func loadTimersFixture(t *testing.T, init string) (*testClient, timersTruth) {
	t.Helper()
	return loadTimersFixtureWith(t, clientOpts{init: init})
}

// loadTimersFixtureWith is loadTimersFixture with more client options.
func loadTimersFixtureWith(t *testing.T, o clientOpts) (*testClient, timersTruth) {
	t.Helper()
	fx := fixtures(t)
	m := manifest(t, fx, "snapshots/a-timers-als.heapsnapshot.gz")
	var raw struct {
		Snapshots []struct {
			File        string
			GroundTruth struct {
				Groups []struct {
					ID    string
					Match struct {
						ClosureAt *struct {
							File         string
							Line, Column int
						} `json:"closure_at"`
					}
					Measured struct{ Count int }
				}
			} `json:"ground_truth"`
		}
	}
	readManifest(t, fx, &raw)
	var tt timersTruth
	for _, s := range raw.Snapshots {
		for _, g := range s.GroundTruth.Groups {
			if s.File == m.File && g.ID == "timer-callback" && g.Match.ClosureAt != nil {
				c := g.Match.ClosureAt
				tt = timersTruth{uri.File(filepath.Join(fx, c.File)), c.Line - 1, c.Column - 1, g.Measured.Count}
			}
		}
	}
	if tt.count == 0 {
		t.Fatal("manifest: no timer-callback group")
	}
	o.roots, o.scan, o.scanDir = []string{fx}, fakeScan, noScanDir
	c := newClient(t, o)
	c.call("workspace/executeCommand", `{"command":"leaklsp.server.openSnapshot","arguments":[`+jsonString(filepath.Join(fx, m.File))+`]}`, nil)
	return c, tt
}

func readManifest(t *testing.T, fx string, v any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fx, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatal(err)
	}
}

func TestCodeLensTimers(t *testing.T) {
	c, tt := loadTimersFixture(t, "")
	var lenses []protocol.CodeLens
	c.call("textDocument/codeLens", `{"textDocument":{"uri":"`+string(tt.file)+`"}}`, &lenses)
	var titles []string
	found := map[string]bool{}
	for _, l := range lenses {
		titles = append(titles, l.Command.Title)
		if int(l.Range.Start.Line) != tt.line {
			continue
		}
		for _, want := range []string{grouped(tt.count) + " timers · ", grouped(tt.count) + " closures · "} {
			if strings.HasPrefix(l.Command.Title, want) && strings.HasSuffix(l.Command.Title, " retained") {
				found[want] = true
			}
		}
		if l.Command.Command != CmdShowRetainers || len(l.Command.Arguments) != 1 {
			t.Errorf("lens command = %+v", l.Command)
		}
	}
	if len(found) != 2 {
		t.Errorf("want timer and closure lenses with %d objects on line %d, got %v", tt.count, tt.line+1, titles)
	}
}

// TestCodeLensMaxPerFile: with maxPerFile 1 only the site that retains
// most keeps its lens.
func TestCodeLensMaxPerFile(t *testing.T) {
	c, tt := loadTimersFixture(t, `{"lens":{"maxPerFile":1}}`)
	var lenses []protocol.CodeLens
	c.call("textDocument/codeLens", `{"textDocument":{"uri":"`+string(tt.file)+`"}}`, &lenses)
	var res SummaryResult
	c.call(MethodSummary, `{"groupBy":"site","limit":1000}`, &res)
	var top *SummaryRow
	for i, r := range res.Rows {
		if r.Location != nil && r.Location.URI == tt.file && (top == nil || r.RetainedBytes > top.RetainedBytes) {
			top = &res.Rows[i]
		}
	}
	if len(lenses) != 1 || top == nil || lenses[0].Range.Start != top.Location.Range.Start {
		t.Errorf("maxPerFile 1: lenses %+v, the most retaining site of the file is %+v", lenses, top)
	}
}

// TestCodeLensThresholds: raised thresholds or lenses turned off leave
// the same file without lenses.
func TestCodeLensThresholds(t *testing.T) {
	for _, init := range []string{
		`{"lens":{"minCount":1000000,"minRetainedBytes":1000000000000,"minNew":1000000}}`,
		`{"lens":{"enabled":false}}`,
	} {
		c, tt := loadTimersFixture(t, init)
		var lenses []protocol.CodeLens
		c.call("textDocument/codeLens", `{"textDocument":{"uri":"`+string(tt.file)+`"}}`, &lenses)
		if len(lenses) != 0 {
			t.Errorf("settings %s: %d lenses, want none: %+v", init, len(lenses), lenses[0].Command.Title)
		}
	}
}

func TestHoverSite(t *testing.T) {
	c, tt := loadTimersFixture(t, "")
	var h struct{ Contents struct{ Value string } }
	c.call("textDocument/hover", `{"textDocument":{"uri":"`+string(tt.file)+`"},"position":{"line":`+itoa(tt.line)+`,"character":2}}`, &h)
	v := h.Contents.Value
	// The path runs through the Job that holds the Timeout; the Job links to
	// its constructor, line 27 (manifest: finished-timeout's enclosing_function).
	for _, want := range []string{"**Heap snapshot** · " + grouped(tt.count) + " timers", "retained: **", "(self ", "Retainer path 1:",
		"`timeout` → `Timeout @", "→ [`Job @", "a-timers-als.js#L27)"} {
		if !strings.Contains(v, want) {
			t.Errorf("hover lacks %q:\n%s", want, v)
		}
	}
	// A line without sites or diagnostics has no hover.
	var none *struct{ Contents struct{ Value string } }
	c.call("textDocument/hover", `{"textDocument":{"uri":"`+string(tt.file)+`"},"position":{"line":0,"character":0}}`, &none)
	if none != nil {
		t.Errorf("hover on line 1: %q", none.Contents.Value)
	}
}

func TestRetainersRequest(t *testing.T) {
	c, tt := loadTimersFixture(t, "")
	var res RetainersResult
	c.call(MethodRetainers, `{"textDocument":{"uri":"`+string(tt.file)+`"},"position":{"line":`+itoa(tt.line)+`,"character":0}}`, &res)
	var timers *SiteInfo
	for i := range res.Sites {
		if res.Sites[i].Kind == "timers" {
			timers = &res.Sites[i]
		}
	}
	if timers == nil || timers.Count != tt.count || len(timers.Paths) == 0 || timers.Location == nil ||
		timers.Location.URI != tt.file || int(timers.Location.Range.Start.Line) != tt.line {
		t.Fatalf("retainers = %+v", res)
	}
	last := timers.Paths[0][len(timers.Paths[0])-1]
	if last.Edge != "timeout" || !strings.HasPrefix(last.Node, "Timeout @") {
		t.Errorf("path does not end at Job.timeout → Timeout: %+v", timers.Paths[0])
	}
	linked := false
	for _, hop := range timers.Paths[0] {
		linked = linked || hop.Location != nil && hop.Location.URI == tt.file
	}
	if !linked {
		t.Errorf("no hop of the path links to the source: %+v", timers.Paths[0])
	}
	c.call(MethodRetainers, `{"textDocument":{"uri":"`+string(tt.file)+`"},"position":{"line":0,"character":0}}`, &res)
	if len(res.Sites) != 0 {
		t.Errorf("sites on line 1: %+v", res.Sites)
	}
	if err := c.tryCall(MethodRetainers, `[1,2]`, nil); err == nil || !strings.Contains(err.Error(), "want {textDocument, position}") {
		t.Errorf("bad params: %v", err)
	}
}

func TestSuspectsAndSummaryRequests(t *testing.T) {
	c, tt := loadTimersFixture(t, "")
	var sus SuspectsResult
	c.call(MethodSuspects, `null`, &sus)
	found := false
	for _, s := range sus.Suspects {
		if s.Code == "LEAK101" && s.Location != nil && s.Location.URI == tt.file && int(s.Location.Range.Start.Line) == tt.line {
			found = s.Count == tt.count && len(s.Path) > 0
		}
	}
	if !found || sus.Snapshot == "" {
		t.Errorf("no LEAK101 with %d objects at line %d: %+v", tt.count, tt.line+1, sus)
	}
	var sum SummaryResult
	c.call(MethodSummary, `{"groupBy":"constructor"}`, &sum)
	rows := map[string]SummaryRow{}
	for _, r := range sum.Rows {
		rows[r.Name] = r
	}
	for _, name := range []string{"Timeout", "Job", "RequestState"} { // 3000 each (manifest groups)
		if r := rows[name]; r.Count != tt.count || len(r.Sites) == 0 {
			t.Errorf("summary row %s = %+v, want %d objects", name, r, tt.count)
		}
	}
	c.call(MethodSummary, `{"groupBy":"site","limit":3}`, &sum)
	if len(sum.Rows) != 3 || sum.Rows[0].Location == nil || sum.Rows[0].RetainedBytes < sum.Rows[2].RetainedBytes {
		t.Errorf("summary by site = %+v", sum.Rows)
	}
	if err := c.tryCall(MethodSummary, `{"groupBy":"color"}`, nil); err == nil {
		t.Error("groupBy color accepted")
	}
}

// TestRequestsWithoutSnapshot: every request answers, empty.
func TestRequestsWithoutSnapshot(t *testing.T) {
	c := newClient(t, clientOpts{roots: []string{t.TempDir()}, scan: fakeScan, scanDir: noScanDir})
	var sus SuspectsResult
	c.call(MethodSuspects, `{}`, &sus)
	var sum SummaryResult
	c.call(MethodSummary, `{}`, &sum)
	var lenses []protocol.CodeLens
	c.call("textDocument/codeLens", `{"textDocument":{"uri":"file:///x.js"}}`, &lenses)
	if sus.Snapshot != "" || len(sus.Suspects) != 0 || len(sum.Rows) != 0 || len(lenses) != 0 {
		t.Errorf("without a snapshot: %+v %+v %+v", sus, sum, lenses)
	}
}
