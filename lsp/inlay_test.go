package lsp

import (
	"os"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// hint is an inlay hint as the client receives it.
type hint struct {
	Position protocol.Position `json:"position"`
	Label    []struct {
		Value   string           `json:"value"`
		Command protocol.Command `json:"command"`
	} `json:"label"`
}

func inlayHints(c *testClient, tt timersTruth, from, to int) []hint {
	c.t.Helper()
	var hints []hint
	c.call("textDocument/inlayHint", `{"textDocument":{"uri":"`+string(tt.file)+`"},"range":{"start":{"line":`+itoa(from)+
		`,"character":0},"end":{"line":`+itoa(to)+`,"character":0}}}`, &hints)
	return hints
}

// openFixture opens the fixture's script as the editor would and returns
// the UTF-16 length of the labelled line (where the hints go).
func openFixture(t *testing.T, c *testClient, tt timersTruth) uint32 {
	t.Helper()
	src, err := os.ReadFile(tt.file.FsPath())
	if err != nil {
		t.Fatal(err)
	}
	c.open(tt.file, 1, string(src))
	return uint32(utf16Len(strings.Split(string(src), "\n")[tt.line]))
}

// TestInlayHintTimers: with lens.style "inlayHint" the lens texts come as
// hints at the end of the site's line, clickable like the lens, and the
// CodeLens request answers nothing.
func TestInlayHintTimers(t *testing.T) {
	c, tt := loadTimersFixture(t, `{"lens":{"style":"inlayHint"}}`)
	end := openFixture(t, c, tt)
	found := map[string]bool{}
	var labels []string
	lines := map[uint32]bool{}
	for _, h := range inlayHints(c, tt, 0, 10000) {
		if lines[h.Position.Line] {
			t.Errorf("two hints on line %d: the sites of a line share one", h.Position.Line+1)
		}
		lines[h.Position.Line] = true
		for i, l := range h.Label {
			labels = append(labels, l.Value)
			if i%2 == 1 { // between two sites
				if l.Value != "; " || l.Command.Command != "" {
					t.Errorf("separator part = %+v", l)
				}
				continue
			}
			if l.Command.Command != CmdShowRetainers || len(l.Command.Arguments) != 1 {
				t.Errorf("hint part %q command = %+v", l.Value, l.Command)
			}
			if int(h.Position.Line) != tt.line {
				continue
			}
			for _, want := range []string{grouped(tt.count) + " timers · ", grouped(tt.count) + " closures · "} {
				if strings.HasPrefix(l.Value, want) && strings.HasSuffix(l.Value, " retained") {
					found[want] = true
				}
			}
		}
		if int(h.Position.Line) == tt.line && h.Position.Character != end {
			t.Errorf("hint at column %d, the line ends at %d", h.Position.Character, end)
		}
	}
	if len(found) != 2 {
		t.Errorf("want timer and closure parts with %d objects on line %d, got %v", tt.count, tt.line+1, labels)
	}
	var lenses []protocol.CodeLens
	c.call("textDocument/codeLens", `{"textDocument":{"uri":"`+string(tt.file)+`"}}`, &lenses)
	if len(lenses) != 0 {
		t.Errorf("style inlayHint still gives %d CodeLenses", len(lenses))
	}
}

// TestInlayHintNone: the default style (CodeLens), thresholds no site
// meets, or an unknown style: no hints.
func TestInlayHintNone(t *testing.T) {
	for _, tc := range []struct {
		name, init string
		lenses     bool // the CodeLens request still answers
	}{
		{name: "default style", init: ``, lenses: true},
		{name: "unknown style keeps the defaults", init: `{"lens":{"style":"margin"}}`, lenses: true},
		{name: "thresholds", init: `{"lens":{"style":"inlayHint","minCount":1000000,"minRetainedBytes":1000000000000,"minNew":1000000}}`},
		{name: "disabled", init: `{"lens":{"style":"inlayHint","enabled":false}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, tt := loadTimersFixture(t, tc.init)
			openFixture(t, c, tt)
			if hints := inlayHints(c, tt, 0, 10000); len(hints) != 0 {
				t.Errorf("%d hints, want none: %+v", len(hints), hints[0].Label)
			}
			var lenses []protocol.CodeLens
			c.call("textDocument/codeLens", `{"textDocument":{"uri":"`+string(tt.file)+`"}}`, &lenses)
			if tc.lenses != (len(lenses) > 0) {
				t.Errorf("%d CodeLenses; want some: %v", len(lenses), tc.lenses)
			}
		})
	}
}

// TestInlayHintRange: only the hints of the requested lines come back (an
// editor asks for the visible range).
func TestInlayHintRange(t *testing.T) {
	c, tt := loadTimersFixture(t, `{"lens":{"style":"inlayHint"}}`)
	openFixture(t, c, tt)
	for _, r := range [][2]int{{0, tt.line - 1}, {tt.line + 1, 10000}, {tt.line, tt.line}} {
		hints := inlayHints(c, tt, r[0], r[1])
		onSite := 0
		for _, h := range hints {
			if int(h.Position.Line) < r[0] || int(h.Position.Line) > r[1] {
				t.Errorf("lines %d-%d: hint on line %d", r[0], r[1], h.Position.Line)
			}
			if int(h.Position.Line) == tt.line {
				onSite = (len(h.Label) + 1) / 2 // sites, between separators
			}
		}
		if inRange := r[0] <= tt.line && tt.line <= r[1]; inRange != (onSite == 2) {
			t.Errorf("lines %d-%d: %d sites hinted on the site's line %d", r[0], r[1], onSite, tt.line)
		}
	}
}

// TestInlayHintStyleSwitch: switching the style in the settings moves the
// counts from lenses to hints, and the client is asked to refresh both.
func TestInlayHintStyleSwitch(t *testing.T) {
	c, tt := loadTimersFixtureWith(t, clientOpts{caps: `{"workspace":{"codeLens":{"refreshSupport":true},"inlayHint":{"refreshSupport":true}}}`})
	openFixture(t, c, tt)
	from := c.since()
	c.notify("workspace/didChangeConfiguration", `{"settings":{"leaklsp":{"lens":{"style":"inlayHint"}}}}`)
	c.waitFor(from, "inlayHint/refresh", func(n note) bool { return n.method == protocol.MethodWorkspaceInlayHintRefresh })
	c.waitFor(from, "codeLens/refresh", func(n note) bool { return n.method == protocol.MethodWorkspaceCodeLensRefresh })
	if len(inlayHints(c, tt, 0, 10000)) == 0 {
		t.Error("no hints after switching to inlayHint")
	}
	var lenses []protocol.CodeLens
	c.call("textDocument/codeLens", `{"textDocument":{"uri":"`+string(tt.file)+`"}}`, &lenses)
	if len(lenses) != 0 {
		t.Errorf("%d lenses after switching to inlayHint", len(lenses))
	}
}

// TestRefreshOnLoad: a client that takes refresh requests gets them when
// a snapshot loads (lenses and hints come from it, not from the text); a
// client that does not announce them gets none.
func TestRefreshOnLoad(t *testing.T) {
	c, _ := loadTimersFixtureWith(t, clientOpts{caps: `{"workspace":{"codeLens":{"refreshSupport":true},"inlayHint":{"refreshSupport":true}}}`})
	c.waitFor(0, "codeLens/refresh", func(n note) bool { return n.method == protocol.MethodWorkspaceCodeLensRefresh })
	c.waitFor(0, "inlayHint/refresh", func(n note) bool { return n.method == protocol.MethodWorkspaceInlayHintRefresh })

	// The refresh goes out before the load answers, so once openSnapshot
	// has answered there is none to wait for.
	plain, _ := loadTimersFixture(t, "")
	for _, m := range []string{protocol.MethodWorkspaceCodeLensRefresh, protocol.MethodWorkspaceInlayHintRefresh} {
		if n := plain.all(m); len(n) != 0 {
			t.Errorf("client without refreshSupport got %d %s", len(n), m)
		}
	}
}
