package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/leaklsp/leaklsp/internal/nodetest"
)

// TestWatchFindsGrowingMap drives a real HTTP service with a load script
// between the snapshots: LEAK120 must land on the Session constructor
// (one Session per /login kept in a Map) and nothing on HealthCheck (one per
// /health, dropped).
func TestWatchFindsGrowingMap(t *testing.T) {
	node := nodetest.Binary(t)
	dir, err := filepath.Abs(filepath.Join("testdata", "watch"))
	if err != nil {
		t.Fatal(err)
	}
	server := filepath.Join(dir, "server.js")
	p := nodetest.Start(t, node, nil, "--inspect=127.0.0.1:0", server)
	port := strings.TrimPrefix(p.Ready, "ready ")
	if _, err := strconv.Atoi(port); err != nil {
		t.Fatalf("server said %q, want ready <port>", p.Ready)
	}
	out := t.TempDir()
	load := strings.Join([]string{shellQuote(node), shellQuote(filepath.Join(dir, "load.js")), port, "400", "/login", "/health"}, " ")
	var stdout, stderr bytes.Buffer
	code := run([]string{"watch", "--run", load, "--iterations", "2", "-o", out, "--no-static", p.Addr, server}, nil, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("watch exit %d, want 1 (findings); stderr:\n%s\nstdout:\n%s", code, stderr.String(), stdout.String())
	}
	grow := "server.js:" + strconv.Itoa(labelLine(t, server, "// LEAK120")) + ":"
	quiet := "server.js:" + strconv.Itoa(labelLine(t, server, "// no-leak")) + ":"
	found := false
	for _, l := range strings.Split(stdout.String(), "\n") {
		if strings.HasPrefix(l, grow) && strings.Contains(l, "LEAK120") {
			found = true
			if !strings.Contains(l, "+800") && !strings.Contains(l, "800 of them are new") {
				t.Errorf("growth line does not count the 800 logins: %s", l)
			}
		}
		if strings.HasPrefix(l, quiet) {
			t.Errorf("finding on the HealthCheck constructor, which does not leak: %s", l)
		}
	}
	if !found {
		t.Errorf("no LEAK120 at %s… in:\n%s", grow, stdout.String())
	}
	snaps, _ := filepath.Glob(filepath.Join(out, "*.heapsnapshot.gz"))
	if len(snaps) != 2 {
		t.Errorf("watch kept %v, want a baseline and a target", snaps)
	}
}

func TestWatchErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		text string
	}{
		{[]string{"watch"}, "missing TARGET"},
		{[]string{"watch", "--after", "1s", "--run", "true", "9229"}, "exclude each other"},
		{[]string{"watch", "--iterations", "3", "9229"}, "--iterations needs --run"},
		{[]string{"watch", "--after", "1s", "-o", t.TempDir(), "127.0.0.1:1"}, "no inspector at 127.0.0.1:1"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, nil, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2", tc.args, code)
		}
		if !strings.Contains(stderr.String(), tc.text) {
			t.Errorf("%v: stderr %q, want it to say %q", tc.args, stderr.String(), tc.text)
		}
	}
}

// TestWatchProcessExitsDuringRun: the process dies during the wait; watch
// says so and leaves no snapshots.
func TestWatchProcessExitsDuringRun(t *testing.T) {
	node := nodetest.Binary(t)
	p := nodetest.Start(t, node, nil, "--inspect=127.0.0.1:0", "-e", "console.log('ready'); setInterval(() => {}, 1 << 30)")
	out := t.TempDir()
	kill := "kill " + strconv.Itoa(p.Cmd.Process.Pid) + " && sleep 0.5"
	var stdout, stderr bytes.Buffer
	if code := run([]string{"watch", "--run", kill, "-o", out, p.Addr}, nil, &stdout, &stderr); code != 2 {
		t.Fatalf("exit %d, want 2; stderr: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "went away") {
		t.Errorf("stderr does not say the process went away: %s", stderr.String())
	}
	if snaps, _ := os.ReadDir(out); len(snaps) != 0 {
		t.Errorf("files left after a failed watch: %v", snaps)
	}
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// TestWatchCaptureOnly: editors take the two files and load them
// themselves; stdout has exactly the baseline and the target.
func TestWatchCaptureOnly(t *testing.T) {
	node := nodetest.Binary(t)
	p := nodetest.Start(t, node, nil, "--inspect=127.0.0.1:0", "-e", "console.log('ready'); setInterval(() => {}, 1 << 30)")
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"watch", "--capture-only", "--after", "100ms", "-o", out, p.Addr}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], "-baseline.heapsnapshot.gz") || !strings.HasSuffix(lines[1], "-target.heapsnapshot.gz") {
		t.Fatalf("stdout %q, want the baseline and target files", stdout.String())
	}
	for _, f := range lines {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestTargetsJSON(t *testing.T) {
	node := nodetest.Binary(t)
	p := nodetest.Start(t, node, nil, "--inspect=127.0.0.1:0", "-e", "console.log('ready'); setInterval(() => {}, 1 << 30)")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"targets", "--json"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var ps []struct {
		PID       int
		Inspector string
	}
	if err := json.Unmarshal(stdout.Bytes(), &ps); err != nil {
		t.Fatal(err)
	}
	for _, x := range ps {
		if x.PID == p.Cmd.Process.Pid && x.Inspector == p.WS {
			return
		}
	}
	t.Errorf("targets lacks pid %d with %s: %s", p.Cmd.Process.Pid, p.WS, stdout.String())
}
