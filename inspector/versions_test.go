package inspector

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/leaklsp/leaklsp/internal/nodetest"
)

// TestCaptureNodeVersions captures the leaking script from every node in
// $LEAKLSP_NODE_VERSIONS (a list of node binaries separated by the path
// list separator; scripts/test-capture-versions.sh installs them and sets
// it), each with two sessions open at once as when a debugger is attached.
func TestCaptureNodeVersions(t *testing.T) {
	list := os.Getenv("LEAKLSP_NODE_VERSIONS")
	if list == "" {
		t.Skip("LEAKLSP_NODE_VERSIONS not set (scripts/test-capture-versions.sh sets it)")
	}
	script := leakScript(t)
	for _, node := range filepath.SplitList(list) {
		v, err := exec.Command(node, "--version").Output()
		if err != nil {
			t.Errorf("%s does not run: %v", node, err)
			continue
		}
		t.Run(strings.TrimSpace(string(v)), func(t *testing.T) {
			p := nodetest.Start(t, node, []string{"JOBS=" + strconv.Itoa(leakJobs)}, "--inspect=127.0.0.1:0", script)
			ctx := nodetest.Context(t)
			ws, err := Resolve(ctx, p.Addr)
			if err != nil {
				t.Fatal(err)
			}
			other, err := Dial(ctx, ws) // another client, attached first
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			s, err := Dial(ctx, ws)
			if err != nil {
				t.Fatalf("second session: %v", err)
			}
			defer s.Close()
			out := filepath.Join(t.TempDir(), "v.heapsnapshot.gz")
			if _, err := CaptureFile(ctx, s, out, Options{}); err != nil {
				t.Fatal(err)
			}
			if n := s.slowChunks.Load(); n != 0 {
				t.Errorf("%d snapshot chunks missed the fast path (chunks.go): this Node frames them differently", n)
			}
			// Node 24 keeps AsyncLocalStorage in AsyncContextFrame, and the
			// heap detectors report these timers as LEAK110 there, the same
			// as for node's own v8.writeHeapSnapshot(): the site and count
			// are the ground truth, the code is the detectors' business.
			expectTimerLeak(t, out, script, major(t, node) >= 24)
		})
	}
}

func major(t *testing.T, node string) int {
	v, err := exec.Command(node, "-p", "process.versions.node.split('.')[0]").Output()
	if err != nil {
		t.Fatal(err)
	}
	m, err := strconv.Atoi(strings.TrimSpace(string(v)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}
