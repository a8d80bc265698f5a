package lsp

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"time"
)

// methods the server handles, plus some it does not.
var fuzzMethods = []string{
	"initialize", "initialized", "shutdown", "$/setTrace", "$/cancelRequest", "$/progress",
	"textDocument/didOpen", "textDocument/didChange", "textDocument/didSave", "textDocument/didClose",
	"textDocument/codeAction", "textDocument/hover", "workspace/executeCommand",
	"workspace/didChangeConfiguration", "workspace/didChangeWatchedFiles", "window/workDoneProgress/cancel",
	"textDocument/definition", "codeAction/resolve", "leaklsp/custom", "", "$/",
}

var garbage = []string{
	`null`, `"x"`, `42`, `[]`, `[1,2]`, `{}`, `true`,
	`{"textDocument":5}`, `{"textDocument":{"uri":5}}`, `{"textDocument":{"uri":"file:///a.js","version":"two"}}`,
	`{"textDocument":{"uri":"file:///a.js","version":1,"text":7}}`,
	`{"textDocument":{"uri":"file:///a.js","version":9},"contentChanges":[{"range":{"start":{"line":-1,"character":0},"end":{"line":0,"character":0}},"text":"x"}]}`,
	`{"textDocument":{"uri":"file:///a.js","version":9},"contentChanges":[{"range":{"start":{"line":99,"character":0},"end":{"line":0,"character":0}},"text":"x"}]}`,
	`{"textDocument":{"uri":"not a uri"},"position":{"line":1e20,"character":-3}}`,
	`{"command":7}`, `{"command":"leaklsp.server.openSnapshot","arguments":[null]}`,
	`{"command":"leaklsp.server.openSnapshot","arguments":[{"path":"/dev/null"}]}`,
	`{"command":"leaklsp.server.openSnapshot","arguments":["/dev/zero"]}`, `{"command":"leaklsp.server.openSnapshot","arguments":["/"]}`,
	`{"command":"leaklsp.server.compareSnapshots","arguments":["a","b"]}`,
	`{"settings":{"leaklsp":{"rules":"all"}}}`, `{"settings":null}`, `{"id":{}}`, `{"id":"nope"}`,
	`{"token":[],"value":{}}`,
}

// TestMalformedParams sends every garbage params value to every method, as
// a notification and as a request; the server must answer each request and
// still serve a normal one afterwards.
func TestMalformedParams(t *testing.T) {
	c := newClient(t, clientOpts{roots: []string{t.TempDir()}, scan: fakeScan, scanDir: noScanDir})
	for _, m := range fuzzMethods {
		if m == "shutdown" {
			continue // legal with any params; covered by TestExit
		}
		for _, g := range garbage {
			c.notify(m, g)
			_ = c.tryCall(m, g, nil) // any reply, error or not, is fine; a hang or closed conn is not
		}
		assertAlive(t, c, m)
	}
}

func assertAlive(t testing.TB, c *testClient, after string) {
	t.Helper()
	if err := c.tryCall("textDocument/hover", `{"textDocument":{"uri":"file:///none.js"},"position":{"line":0,"character":0}}`, nil); err != nil {
		t.Fatalf("server dead after %q: %v", after, err)
	}
}

// TestMalformedFrames writes broken JSON-RPC frames on the raw stream: a
// body that is not JSON and a call whose method is not a string. The server
// drops the first, answers the second with InvalidRequest, and goes on.
func TestMalformedFrames(t *testing.T) {
	a, b := net.Pipe()
	srv := NewServer(Options{Exit: func(int) {}})
	ctx := t.Context()
	conn := srv.Connect(ctx, a)
	t.Cleanup(func() { a.Close(); b.Close(); <-conn.Done() })
	r := bufio.NewReader(b)
	write := func(body string) {
		if _, err := fmt.Fprintf(b, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
			t.Fatal(err)
		}
	}
	read := func() string {
		_ = b.SetReadDeadline(time.Now().Add(10 * time.Second))
		h, err := textproto.NewReader(r).ReadMIMEHeader()
		if err != nil {
			t.Fatalf("read header: %v", err)
		}
		n, _ := strconv.Atoi(h.Get("Content-Length"))
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			t.Fatal(err)
		}
		return string(body)
	}
	write(`{bad json`)
	write(`{"jsonrpc":"2.0","id":9,"method":5}`)
	if got := read(); !strings.Contains(got, `"id":9`) || !strings.Contains(got, `-32600`) {
		t.Fatalf("reply to the bad call = %s", got)
	}
	write(`{"jsonrpc":"2.0","id":10,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///x.js"},"position":{"line":0,"character":0}}}`)
	if got := read(); !strings.Contains(got, `"id":10`) || strings.Contains(got, "error") {
		t.Fatalf("reply to hover = %s", got)
	}
}

// FuzzHandlers sends random methods and params, as notifications and
// calls; after each, a normal request must still be answered.
func FuzzHandlers(f *testing.F) {
	for i, g := range garbage {
		f.Add(uint8(i), []byte(g), i%2 == 0)
	}
	f.Add(uint8(6), []byte(`{"textDocument":{"uri":"file:///w/a.js","languageId":"javascript","version":1,"text":"this.timeout = setTimeout(f)"}}`), false)
	c := newClient(f, clientOpts{roots: []string{f.TempDir()}, scan: fakeScan, scanDir: noScanDir})
	f.Fuzz(func(t *testing.T, m uint8, params []byte, call bool) {
		c.t = t // report through this iteration's T, not F
		method := fuzzMethods[int(m)%len(fuzzMethods)]
		if method == "shutdown" {
			return
		}
		p := string(params)
		if !json.Valid(params) {
			p = jsonString(p) // the transport only carries JSON values; see TestMalformedFrames
		}
		if call {
			_ = c.tryCall(method, p, nil)
		} else {
			c.notify(method, p)
		}
		assertAlive(t, c, method)
	})
}
