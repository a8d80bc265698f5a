package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/leaklsp/leaklsp/internal/shared"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leaklsp/leaklsp/jsscan"
)

// note is one message the server sent to the test client.
type note struct {
	method string
	params json.RawMessage
}

// testClient is an in-process LSP client: a jsonrpc2 connection over
// net.Pipe to a real Server, recording every server-to-client message.
type testClient struct {
	t      testing.TB
	srv    *Server
	conn   jsonrpc2.Conn
	server protocol.Server // typed requests
	exit   chan int

	mu     sync.Mutex
	notes  []note
	signal chan struct{} // ticks when a message arrives
}

type clientOpts struct {
	progress bool   // announce window.workDoneProgress
	caps     string // client capabilities (JSON), instead of the above
	init     string
	roots    []string
	scan     func(string, []byte) []jsscan.Finding
	scanDir  func(string, jsscan.DirOptions) ([]jsscan.Finding, error)
	debounce time.Duration // of edits; 0 scans at once
}

func newClient(t testing.TB, o clientOpts) *testClient {
	t.Helper()
	a, b := net.Pipe()
	debounce := o.debounce
	c := &testClient{t: t, exit: make(chan int, 1), signal: make(chan struct{}, 1)}
	var logBuf syncBuffer
	c.srv = NewServer(Options{
		Version: "test", Logger: slog.New(slog.NewTextHandler(&logBuf, nil)),
		Exit: func(code int) { c.exit <- code }, Debounce: &debounce, Scan: o.scan, ScanDir: o.scanDir,
	})
	ctx, cancel := context.WithCancel(context.Background())
	srvConn := c.srv.Connect(ctx, a)
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(b), jsonrpc2.WithCodec(Codec{}))
	c.conn.Go(ctx, c.handle)
	c.server = protocol.ServerDispatcher(c.conn)
	t.Cleanup(func() {
		cancel()
		a.Close()
		b.Close()
		<-srvConn.Done()
		if t.Failed() {
			t.Logf("server log:\n%s", logBuf.String())
		}
	})
	if o.roots != nil {
		c.initialize(o)
	}
	return c
}

// handle answers the server's requests the way a permissive editor does
// and records everything.
func (c *testClient) handle(_ context.Context, req *jsonrpc2.Request) (any, error) {
	c.mu.Lock()
	c.notes = append(c.notes, note{method: strings.Clone(req.Method()), params: append(json.RawMessage(nil), req.Params()...)})
	c.mu.Unlock()
	select {
	case c.signal <- struct{}{}:
	default:
	}
	if !req.IsCall() {
		return nil, nil
	}
	if req.Method() == protocol.MethodWorkspaceApplyEdit {
		return json.RawMessage(`{"applied":true}`), nil
	}
	return json.RawMessage(`null`), nil
}

func (c *testClient) initialize(o clientOpts) {
	c.t.Helper()
	var folders []string
	for _, r := range o.roots {
		folders = append(folders, `{"uri":"`+string(uri.File(r))+`","name":"w"}`)
	}
	caps := `{}`
	if o.progress {
		caps = `{"window":{"workDoneProgress":true}}`
	}
	if o.caps != "" {
		caps = o.caps
	}
	init := o.init
	if init == "" {
		init = "null"
	}
	params := `{"processId":1,"rootUri":null,"capabilities":` + caps + `,"workspaceFolders":[` + strings.Join(folders, ",") + `],"initializationOptions":` + init + `}`
	var res map[string]any
	c.call("initialize", params, &res)
	c.notify("initialized", `{}`)
}

// call sends a request with raw JSON params and fails the test on error.
func (c *testClient) call(method, params string, result any) {
	c.t.Helper()
	if err := c.tryCall(method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *testClient) tryCall(method, params string, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var raw jsonrpc2.RawMessage
	_, err := c.conn.Call(ctx, method, jsonrpc2.RawMessage(params), &raw)
	if err == nil && result != nil && len(raw) > 0 {
		err = json.Unmarshal(raw, result)
	}
	return err
}

func (c *testClient) notify(method, params string) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, jsonrpc2.RawMessage(params)); err != nil {
		c.t.Fatalf("notify %s: %v", method, err)
	}
}

// since returns the index to pass to waitFor for messages after now.
func (c *testClient) since() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.notes)
}

// waitFor waits for a message after index from matching pred.
func (c *testClient) waitFor(from int, what string, pred func(note) bool) note {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		for _, n := range c.notes[min(from, len(c.notes)):] {
			if pred(n) {
				c.mu.Unlock()
				return n
			}
		}
		c.mu.Unlock()
		select {
		case <-c.signal:
		case <-time.After(50 * time.Millisecond):
		}
	}
	c.t.Fatalf("timed out waiting for %s", what)
	return note{}
}

func (c *testClient) all(method string) []note {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []note
	for _, n := range c.notes {
		if n.method == method {
			out = append(out, n)
		}
	}
	return out
}

type published struct {
	URI         string `json:"uri"`
	Version     *int32 `json:"version"`
	Diagnostics []struct {
		Range    protocol.Range        `json:"range"`
		Severity int                   `json:"severity"`
		Code     string                `json:"code"`
		Source   string                `json:"source"`
		Message  string                `json:"message"`
		CodeDesc struct{ Href string } `json:"codeDescription"`
		Related  []struct {
			Location struct {
				URI   string         `json:"uri"`
				Range protocol.Range `json:"range"`
			} `json:"location"`
			Message string `json:"message"`
		} `json:"relatedInformation"`
		Data json.RawMessage `json:"data"`
	} `json:"diagnostics"`
}

// waitDiags waits for a publication for u after index from matching pred.
func (c *testClient) waitDiags(from int, u uri.URI, what string, pred func(published) bool) published {
	c.t.Helper()
	var got published
	c.waitFor(from, what, func(n note) bool {
		if n.method != protocol.MethodTextDocumentPublishDiagnostics {
			return false
		}
		var p published
		if json.Unmarshal(n.params, &p) != nil || p.URI != string(u) {
			return false
		}
		if pred(p) {
			got = p
			return true
		}
		return false
	})
	return got
}

func (c *testClient) open(u uri.URI, version int, text string) {
	c.t.Helper()
	b, _ := json.Marshal(text)
	c.notify("textDocument/didOpen", `{"textDocument":{"uri":"`+string(u)+`","languageId":"javascript","version":`+itoa(version)+`,"text":`+string(b)+`}}`)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// fakeScan stands in for jsscan in protocol tests: it flags
// `this.X = setTimeout(` as LEAK001 with a safe, preferred fix that drops
// the assignment, and honours `// leaklsp-ignore LEAK001` like jsscan.
func fakeScan(path string, src []byte) []jsscan.Finding {
	var out []jsscan.Finding
	lines := strings.Split(string(src), "\n")
	off := 0
	for i, line := range lines {
		start := strings.Index(line, "this.timeout = setTimeout(")
		ignored := i > 0 && strings.Contains(lines[i-1], "leaklsp-ignore") && strings.Contains(lines[i-1], "LEAK001")
		if start >= 0 && !ignored {
			pos := func(byteCol int) jsscan.Pos {
				return jsscan.Pos{Offset: off + byteCol, Line: i, Column: utf16Len(line[:byteCol])}
			}
			out = append(out, jsscan.Finding{
				Code: "LEAK001", Rule: "timer-token-retained", Path: path, Severity: jsscan.SeverityWarning,
				Range:   jsscan.Range{Start: pos(start), End: pos(start + len("this.timeout"))},
				Message: "The Timeout stays referenced after it fired.",
				Fixes: []jsscan.Fix{
					{Title: "Do not keep the Timeout", Preferred: true, Safe: true, Edits: []jsscan.Edit{{Path: path, Range: jsscan.Range{Start: pos(start), End: pos(start + len("this.timeout = "))}}}},
					{Title: "Unref the timer", Edits: []jsscan.Edit{{Path: path, Range: jsscan.Range{Start: pos(len(line)), End: pos(len(line))}, NewText: " /* unref */"}}},
				},
			})
		}
		off += len(line) + 1
	}
	return out
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// applyEdits applies LSP text edits (UTF-16 positions) to text, last first.
func applyEdits(t testing.TB, text string, edits []protocol.TextEdit) string {
	t.Helper()
	b := []byte(text)
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		start, err1 := offsetOf(b, e.Range.Start)
		end, err2 := offsetOf(b, e.Range.End)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad edit %+v", e)
		}
		b = append(append(append([]byte(nil), b[:start]...), e.NewText...), b[end:]...)
	}
	return string(b)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fixtures is the shared heap fixture directory.
func fixtures(t testing.TB) string { return shared.HeapFixtures(t) }
