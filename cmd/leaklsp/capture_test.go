package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/internal/nodetest"
)

// TestCaptureThenCheck: capture a real leaking process over its inspector,
// then check the snapshot against the script: LEAK101 on the line the
// script labels.
func TestCaptureThenCheck(t *testing.T) {
	node := nodetest.Binary(t)
	script, err := filepath.Abs(filepath.Join("..", "..", "inspector", "testdata", "timers-als.js"))
	if err != nil {
		t.Fatal(err)
	}
	p := nodetest.Start(t, node, []string{"JOBS=500"}, "--inspect=127.0.0.1:0", script)
	out := filepath.Join(t.TempDir(), "svc.heapsnapshot.gz")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"capture", "-o", out, p.Addr}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("capture exit %d: %s", code, stderr.String())
	}
	if strings.TrimSpace(stdout.String()) != out {
		t.Errorf("capture printed %q, want the file name %s", stdout.String(), out)
	}
	stdout.Reset()
	code := run([]string{"check", "--no-static", "--snapshot", out, script}, nil, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("check exit %d (want 1, findings): %s %s", code, stdout.String(), stderr.String())
	}
	want := "timers-als.js:" + strconv.Itoa(labelLine(t, script, "// LEAK101")) + ":"
	for _, l := range strings.Split(stdout.String(), "\n") {
		if strings.HasPrefix(l, want) && strings.Contains(l, "LEAK101") {
			return
		}
	}
	t.Errorf("no LEAK101 at %s… in:\n%s", want, stdout.String())
}

func TestCaptureErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.heapsnapshot.gz")
	for _, tc := range []struct {
		args []string
		text string
	}{
		{[]string{"capture", "-o", out, "127.0.0.1:1"}, "no inspector at 127.0.0.1:1"},
		{[]string{"capture", "-o", out, "a", "b"}, "one TARGET"},
		{[]string{"capture", "--after", "1s"}, "--after needs --track-allocations"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, nil, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2", tc.args, code)
		}
		if !strings.Contains(stderr.String(), tc.text) {
			t.Errorf("%v: stderr %q, want it to say %q", tc.args, stderr.String(), tc.text)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed captures left files: %v", entries)
	}
}

// labelLine is the 1-based line of the script that ends with label.
func labelLine(t *testing.T, path, label string) int {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(src), "\n") {
		if strings.HasSuffix(l, label) {
			return i + 1
		}
	}
	t.Fatalf("no %q in %s", label, path)
	return 0
}

// TestCaptureTrackAllocations: the flag records for --after, then the
// snapshot carries allocation stacks (trace_function_infos).
func TestCaptureTrackAllocations(t *testing.T) {
	node := nodetest.Binary(t)
	p := nodetest.Start(t, node, nil, "--inspect=127.0.0.1:0", "-e",
		"const held = []; setInterval(() => held.push({ at: Date.now() }), 10); console.log('ready')")
	out := filepath.Join(t.TempDir(), "tracked.heapsnapshot.gz")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"capture", "--track-allocations", "--after", "300ms", "-o", out, p.Addr}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	s, err := heap.Open(out, heap.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.TraceFunctions) == 0 {
		t.Error("a capture with --track-allocations has no allocation stacks")
	}
}
