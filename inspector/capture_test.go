package inspector

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/runtime"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/internal/nodetest"
)

const leakJobs = 2000

// labelled finds the hand label "// LEAK101" in the leaking script: the
// 0-based line, and the column of the "(" of the arrow function's
// parameter list there, where V8 puts a function's position.
func labelled(t *testing.T, script string) (line, col int) {
	t.Helper()
	src, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(src), "\n") {
		if strings.HasSuffix(l, "// LEAK101") {
			return i, strings.Index(l, "() =>")
		}
	}
	t.Fatal("no // LEAK101 label in", script)
	return 0, 0
}

// expectTimerLeak loads a captured snapshot and checks that the detectors
// find the labelled leak with the number of jobs the script made, as
// LEAK101 unless anyCode (then any suspect at the site will do).
func expectTimerLeak(t *testing.T, path, script string, anyCode bool) {
	t.Helper()
	s, err := heap.Open(path, heap.LoadOptions{})
	if err != nil {
		t.Fatalf("captured snapshot does not load: %v", err)
	}
	line, col := labelled(t, script)
	var codes []string
	for _, su := range heap.Analyze(s, heap.AnalyzeOptions{}) {
		codes = append(codes, su.Code+"@"+strconv.Itoa(su.Site.Line)+":"+strconv.Itoa(su.Site.Column))
		if (anyCode || su.Code == heap.CodeRetainedTimeout) && filepath.Base(su.Site.Script) == filepath.Base(script) &&
			su.Site.Line == line && su.Site.Column == col {
			if su.Count != leakJobs {
				t.Errorf("%s counts %d objects, the script keeps %d timers", su.Code, su.Count, leakJobs)
			}
			return
		}
	}
	t.Errorf("no LEAK101 at %s:%d:%d (0-based) in the captured snapshot; suspects: %v", script, line, col, codes)
}

func TestCaptureFileFindsLeak(t *testing.T) {
	node := nodetest.Binary(t)
	script := leakScript(t)
	p := nodetest.Start(t, node, []string{"JOBS=" + strconv.Itoa(leakJobs)}, "--inspect=127.0.0.1:0", script)
	ctx := nodetest.Context(t)
	ws, err := Resolve(ctx, p.Addr)
	if err != nil {
		t.Fatal(err)
	}
	if ws != p.WS {
		t.Errorf("Resolve(%q) = %s, node listens on %s", p.Addr, ws, p.WS)
	}
	s, err := Dial(ctx, ws)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := filepath.Join(t.TempDir(), "cap.heapsnapshot.gz")
	var phases = map[string]bool{}
	n, err := CaptureFile(ctx, s, out, Options{Progress: func(p Progress) { phases[p.Phase] = true }})
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() == 0 || st.Size() >= n {
		t.Errorf("gzip file is %d bytes for %d bytes of snapshot text", st.Size(), n)
	}
	if n := s.slowChunks.Load(); n != 0 {
		t.Errorf("%d snapshot chunks missed the fast path (chunks.go)", n)
	}
	if !phases["building"] || !phases["receiving"] {
		t.Errorf("progress phases reported: %v, want building and receiving", phases)
	}
	expectTimerLeak(t, out, script, false)
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("capture left %d files, want only the snapshot: %v", len(entries), entries)
	}
}

// TestCaptureTrackingHasStacks: with allocation tracking the snapshot
// carries allocation stacks for the objects allocated after tracking
// started, and none for the older ones.
func TestCaptureTrackingHasStacks(t *testing.T) {
	node := nodetest.Binary(t)
	p := nodetest.Start(t, node, nil, "--inspect=127.0.0.1:0", "-e", `
		class Job { constructor(i) { this.i = i; } }
		const held = globalThis.held = [];
		for (let i = 0; i < 1000; i++) held.push(new Job(i));
		setInterval(() => { for (let i = 0; i < 10; i++) held.push(new Job(i)); }, 20);
		console.log('ready');`)
	ctx := nodetest.Context(t)
	s, err := Dial(ctx, p.WS)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := StartTracking(ctx, s); err != nil {
		t.Fatal(err)
	}
	before := heldJobs(t, ctx, s)
	// Until the process has made Jobs while tracking: a busy machine may
	// not run its interval for a while.
	for deadline := time.Now().Add(30 * time.Second); heldJobs(t, ctx, s) < before+100; {
		if time.Now().After(deadline) {
			t.Fatal("the process made no Jobs in 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	out := filepath.Join(t.TempDir(), "tracked.heapsnapshot")
	if _, err := CaptureFile(ctx, s, out, Options{Tracking: true}); err != nil {
		t.Fatal(err)
	}
	snap, err := heap.Open(out, heap.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var traced, untraced int
	for i := range snap.NodeCount() {
		if snap.Name(uint32(i)) != "Job" || snap.NodeKinds[i] != heap.NodeObject {
			continue
		}
		if snap.TraceIDs != nil && snap.TraceIDs[i] != 0 {
			traced++
		} else {
			untraced++
		}
	}
	if traced == 0 || untraced < 1000 {
		t.Errorf("Jobs with an allocation stack: %d, without: %d; want some with (made while tracking) and the first 1000 without", traced, untraced)
	}
}

// heldJobs asks the process how many Jobs it holds.
func heldJobs(t *testing.T, ctx context.Context, s *Session) int {
	t.Helper()
	res, err := cdp.Call(ctx, s, runtime.Evaluate, runtime.EvaluateParams{Expression: "held.length"})
	if err != nil || res.Result == nil {
		t.Fatalf("held.length: %v", err)
	}
	n, err := strconv.Atoi(string(res.Result.Value))
	if err != nil {
		t.Fatalf("held.length = %s", res.Result.Value)
	}
	return n
}

func TestCaptureProcessExits(t *testing.T) {
	node := nodetest.Binary(t)
	// A heap big enough that the capture is still running when the
	// process is killed at the first progress report.
	p := nodetest.Start(t, node, nil, "--inspect=127.0.0.1:0", "-e", `
		const keep = [];
		for (let i = 0; i < 300000; i++) keep.push({ i, s: 'x' + i, a: [i] });
		console.log('ready');
		setInterval(() => {}, 1 << 30);`)
	ctx := nodetest.Context(t)
	s, err := Dial(ctx, p.WS)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dir := t.TempDir()
	out := filepath.Join(dir, "gone.heapsnapshot.gz")
	killed := false
	_, err = CaptureFile(ctx, s, out, Options{Progress: func(Progress) {
		if !killed {
			killed = true
			_ = p.Cmd.Process.Kill()
		}
	}})
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("capture from a process killed mid-capture: err = %v, want ErrClosed", err)
	}
	if !strings.Contains(err.Error(), "went away") || !strings.Contains(err.Error(), "partial file removed") {
		t.Errorf("error does not say what happened: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("partial files left behind: %v", entries)
	}
}
