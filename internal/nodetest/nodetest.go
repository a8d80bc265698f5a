// Package nodetest starts real Node.js processes for tests: with an
// inspector on a random port, waiting until the script says it is ready,
// killed when the test ends.
package nodetest

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Binary is the node the tests run: $LEAKLSP_NODE, else node on PATH.
func Binary(t *testing.T) string {
	t.Helper()
	if n := os.Getenv("LEAKLSP_NODE"); n != "" {
		return n
	}
	n, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node on PATH (set LEAKLSP_NODE)")
	}
	return n
}

// Proc is a real Node process started for a test.
type Proc struct {
	Cmd    *exec.Cmd
	Addr   string // host:port of its inspector, when started with one
	WS     string // its inspector URL from stderr
	Stderr *lockedBuffer
	Ready  string // the line the script said "ready" with
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Listening matches the line node prints when its inspector opens.
var Listening = regexp.MustCompile(`Debugger listening on (ws://([^/\s]+)/\S+)`)

// Start runs node with args and waits until the script prints a line
// starting with "ready" (and, when inspectorFlag is set, until the
// inspector's "Debugger listening on ws://…" line gives the port). The
// process is killed when the test ends.
func Start(t *testing.T, node string, env []string, args ...string) *Proc {
	t.Helper()
	cmd := exec.Command(node, args...)
	cmd.Env = append(os.Environ(), env...)
	p := &Proc{Cmd: cmd, Stderr: &lockedBuffer{}}
	cmd.Stderr = p.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "ready") {
				ready <- sc.Text()
				break
			}
		}
		ready <- ""
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case p.Ready = <-ready:
		if p.Ready == "" {
			t.Fatalf("node %v exited before it was ready; stderr:\n%s", args, p.Stderr)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("node %v not ready after 60s; stderr:\n%s", args, p.Stderr)
	}
	// Node writes "Debugger listening" to stderr before the script runs,
	// but stderr is copied by its own goroutine: "ready" on stdout can be
	// read first, so wait for the line (a test without it got the default
	// 127.0.0.1:9229 under load).
	deadline := time.Now().Add(60 * time.Second)
	for inspects(args) {
		if m := Listening.FindStringSubmatch(p.Stderr.String()); m != nil {
			p.WS, p.Addr = m[1], m[2]
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("node %v: no \"Debugger listening\" line after 60s; stderr:\n%s", args, p.Stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return p
}

// inspects reports whether node's arguments open the inspector at start.
func inspects(args []string) bool {
	for _, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") {
			return false // the script and its arguments
		}
		if a == "--inspect" || a == "--inspect-brk" || strings.HasPrefix(a, "--inspect=") || strings.HasPrefix(a, "--inspect-brk=") {
			return true
		}
	}
	return false
}

// Context is a context for a test that talks to a node process: it ends
// with the test, or after two minutes.
func Context(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
