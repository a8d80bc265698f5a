package inspector

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leaklsp/leaklsp/internal/nodetest"
)

func TestResolveForms(t *testing.T) {
	node := nodetest.Binary(t)
	p := nodetest.Start(t, node, nil, "--inspect=127.0.0.1:0", "-e", "console.log('ready'); setInterval(() => {}, 1 << 30)")
	if p.Addr == "" {
		t.Fatalf("node printed no inspector address: %s", p.Stderr)
	}
	_, port, _ := net.SplitHostPort(p.Addr)
	ctx := nodetest.Context(t)
	for _, target := range []string{p.WS, p.Addr, port, ":" + port, "http://" + p.Addr, "pid:" + strconv.Itoa(p.Cmd.Process.Pid)} {
		ws, err := Resolve(ctx, target)
		if err != nil {
			t.Errorf("Resolve(%q): %v", target, err)
			continue
		}
		if ws != p.WS {
			t.Errorf("Resolve(%q) = %s, node listens on %s", target, ws, p.WS)
		}
	}
}

// TestResolvePIDEnablesInspector: a process started without an inspector
// gets one with SIGUSR1, on the random port --inspect-port=0 asks for, and
// pid:N finds it among the process's sockets.
func TestResolvePIDEnablesInspector(t *testing.T) {
	node := nodetest.Binary(t)
	p := nodetest.Start(t, node, nil, "--inspect-port=127.0.0.1:0", "-e", "console.log('ready'); setInterval(() => {}, 1 << 30)")
	if p.WS != "" {
		t.Fatalf("inspector open before SIGUSR1: %s", p.WS)
	}
	ctx := nodetest.Context(t)
	ws, err := Resolve(ctx, "pid:"+strconv.Itoa(p.Cmd.Process.Pid))
	if err != nil {
		t.Fatalf("pid: %v; node stderr:\n%s", err, p.Stderr)
	}
	m := nodetest.Listening.FindStringSubmatch(p.Stderr.String())
	if m == nil || m[1] != ws {
		t.Errorf("pid: resolved %s; node says %q", ws, p.Stderr)
	}
	s, err := Dial(ctx, ws)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestResolveErrors(t *testing.T) {
	ctx := nodetest.Context(t)
	// A port nobody listens on: bind one, then free it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	// A web server that is not an inspector.
	web := httptest.NewServer(http.NotFoundHandler())
	defer web.Close()
	// Something that does not speak HTTP.
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	go func() {
		for {
			c, err := raw.Accept()
			if err != nil {
				return
			}
			_, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n"))
			c.Close()
		}
	}()
	for _, tc := range []struct {
		target string
		want   error
		text   string
	}{
		{closed, ErrNoInspector, "connection refused"},
		{strings.TrimPrefix(web.URL, "http://"), ErrNotInspector, "404"},
		{raw.Addr().String(), ErrNotInspector, "not a Node inspector"},
		{"pid:abc", nil, "want pid:N"},
		{"pid:0", nil, "want pid:N"},
		{"pid:999999999", nil, "no process 999999999"},
		{"localhost", nil, "bad target"},
		{"host:port", nil, "not a number"},
	} {
		_, err := Resolve(ctx, tc.target)
		if err == nil {
			t.Errorf("Resolve(%q) succeeded", tc.target)
			continue
		}
		if tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("Resolve(%q) = %v, want %v", tc.target, err, tc.want)
		}
		if !strings.Contains(err.Error(), tc.text) {
			t.Errorf("Resolve(%q) = %v, want it to say %q", tc.target, err, tc.text)
		}
	}
}

// TestResolvePIDNotNode: pid:N of a program that is not node gets no
// SIGUSR1 (it would die of it) and a clear error.
func TestResolvePIDNotNode(t *testing.T) {
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Skip("no sleep:", err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	_, err := Resolve(nodetest.Context(t), "pid:"+strconv.Itoa(cmd.Process.Pid))
	if err == nil || !strings.Contains(err.Error(), "is not Node.js") {
		t.Fatalf("pid of sleep: %v, want a not-Node error", err)
	}
	time.Sleep(100 * time.Millisecond)
	if cmd.Process.Signal(syscall.Signal(0)) != nil {
		t.Error("the sleep process died: it got a signal")
	}
}

func TestParseProcAddr(t *testing.T) {
	for in, want := range map[string]string{
		"0100007F:2405":                         "127.0.0.1:9221",
		"00000000:1F90":                         "127.0.0.1:8080",
		"00000000000000000000000001000000:0050": "[::1]:80",
		"00000000000000000000000000000000:0050": "[::1]:80",
	} {
		got, ok := parseProcAddr(in)
		if !ok || got != want {
			t.Errorf("parseProcAddr(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "zz:1", "0100007F", "0100007F:zz", "0100:0050"} {
		if got, ok := parseProcAddr(bad); ok {
			t.Errorf("parseProcAddr(%q) = %q, want failure", bad, got)
		}
	}
}

// TestDiscover lists a node started with an inspector (with its URL) and
// one without (no URL), and not this test process.
func TestDiscover(t *testing.T) {
	node := nodetest.Binary(t)
	with := nodetest.Start(t, node, nil, "--inspect=127.0.0.1:0", "-e", "console.log('ready'); setInterval(() => {}, 1 << 30)")
	without := nodetest.Start(t, node, nil, "-e", "console.log('ready'); setInterval(() => {}, 1 << 30)")
	ps, err := Discover(nodetest.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]Process{}
	for _, p := range ps {
		got[p.PID] = p
	}
	if p, ok := got[with.Cmd.Process.Pid]; !ok || p.Inspector != with.WS {
		t.Errorf("node with --inspect: %+v, want inspector %s", p, with.WS)
	}
	if p, ok := got[without.Cmd.Process.Pid]; !ok || p.Inspector != "" || !strings.Contains(p.Command, "setInterval") {
		t.Errorf("node without inspector: %+v", p)
	}
	if _, ok := got[os.Getpid()]; ok {
		t.Error("the test process itself is listed")
	}
}
