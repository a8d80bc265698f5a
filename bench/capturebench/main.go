// Command capturebench measures `leaklsp capture` against Node's own
// v8.writeHeapSnapshot() on the same heap (see bench/capture.sh).
//
// It starts bench/capture-app.js with the inspector open, lets it build a
// heap of the requested size, and then alternates, round by round, the two
// ways of snapshotting that one process: SIGUSR2 (the app calls
// v8.writeHeapSnapshot and prints how long it took) and `leaklsp capture`
// run under /usr/bin/time -v (wall time, its CPU time, its peak RSS). Every
// measurement also records the CPU time the node process spent (from
// /proc/PID/stat), so the cost of serialising for the inspector shows
// apart from leaklsp's own. A separate HeapProfiler.collectGarbage per round
// shows what a full GC before the snapshot would add (leaklsp runs none:
// V8 begins every snapshot with the same GC).
//
// It prints one line per measurement and then medians and the ratios.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"

	"github.com/leaklsp/leaklsp/inspector"
)

type config struct {
	node, leaklsp, app, dir string
	heapMB, rounds          int
	maxOld                  int
	captureArgs             []string
}

func main() {
	var c config
	flag.StringVar(&c.node, "node", "node", "node binary")
	flag.StringVar(&c.leaklsp, "leaklsp", "", "leaklsp binary (required)")
	flag.StringVar(&c.app, "app", "bench/capture-app.js", "the app to capture")
	flag.StringVar(&c.dir, "dir", "", "directory for the snapshots (required; each is deleted after it is measured)")
	flag.IntVar(&c.heapMB, "heap-mb", 1024, "heap size the app builds, MB")
	flag.IntVar(&c.rounds, "rounds", 3, "rounds; each takes one snapshot each way")
	flag.Parse()
	c.captureArgs = flag.Args()
	if c.leaklsp == "" || c.dir == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "capturebench:", err)
		os.Exit(1)
	}
}

// sample is one measurement.
type sample struct {
	wall      time.Duration
	nodeCPU   time.Duration // CPU time the node process spent
	ownCPU    time.Duration // leaklsp's user+sys
	ownRSSKiB int64
	bytes     int64 // file size
}

func run(c config) error {
	app, err := startApp(c)
	if err != nil {
		return err
	}
	defer app.stop()
	fmt.Printf("node: %s (pid %d), %s\n", app.version, app.cmd.Process.Pid, app.ready)
	// The first snapshot of a process costs more (V8 assigns every object
	// its snapshot id): take one before measuring.
	w, err := app.writeHeapSnapshot(c.dir)
	if err != nil {
		return err
	}
	fmt.Printf("warm-up writeHeapSnapshot: wall %.2f s, node cpu %.2f s (not counted)\n", w.wall.Seconds(), w.nodeCPU.Seconds())
	var nodeS, capS []sample
	var gcs []time.Duration
	for r := range c.rounds {
		// Alternate which goes first so a trend in the machine's load
		// (other jobs starting or ending) weighs on both alike.
		steps := []string{"node", "leaklsp"}
		if r%2 == 1 {
			slices.Reverse(steps)
		}
		for _, step := range steps {
			if step == "node" {
				s, err := app.writeHeapSnapshot(c.dir)
				if err != nil {
					return err
				}
				nodeS = append(nodeS, s)
				report(r, "writeHeapSnapshot", s)
			} else {
				s, err := app.capture(c)
				if err != nil {
					return err
				}
				capS = append(capS, s)
				report(r, "leaklsp capture", s)
			}
		}
		gc, cpu, err := app.collectGarbage()
		if err != nil {
			return err
		}
		gcs = append(gcs, gc)
		fmt.Printf("round %d collectGarbage: wall %.2f s, node cpu %.2f s  (load %s)\n", r, gc.Seconds(), cpu.Seconds(), loadavg())
	}
	summarize(nodeS, capS, gcs)
	fmt.Printf("node peak rss: %s\n", app.peakRSS())
	return nil
}

func report(round int, what string, s sample) {
	fmt.Printf("round %d %s: wall %.2f s, node cpu %.2f s", round, what, s.wall.Seconds(), s.nodeCPU.Seconds())
	if s.ownRSSKiB > 0 {
		fmt.Printf(", leaklsp cpu %.2f s, leaklsp max rss %.1f MiB", s.ownCPU.Seconds(), float64(s.ownRSSKiB)/1024)
	}
	fmt.Printf(", file %.1f MB  (load %s)\n", float64(s.bytes)/1e6, loadavg())
}

func summarize(nodeS, capS []sample, gcs []time.Duration) {
	med := func(ss []sample, f func(sample) float64) float64 {
		v := make([]float64, len(ss))
		for i, s := range ss {
			v[i] = f(s)
		}
		return median(v)
	}
	wall := func(s sample) float64 { return s.wall.Seconds() }
	ncpu := func(s sample) float64 { return s.nodeCPU.Seconds() }
	nw, cw := med(nodeS, wall), med(capS, wall)
	nc, cc := med(nodeS, ncpu), med(capS, ncpu)
	own := med(capS, func(s sample) float64 { return s.ownCPU.Seconds() })
	var rss int64
	for _, s := range capS {
		rss = max(rss, s.ownRSSKiB)
	}
	g := make([]float64, len(gcs))
	for i, d := range gcs {
		g[i] = d.Seconds()
	}
	fmt.Printf("median writeHeapSnapshot wall: %.2f s (node cpu %.2f s)\n", nw, nc)
	fmt.Printf("median leaklsp capture wall: %.2f s (node cpu %.2f s, leaklsp cpu %.2f s)\n", cw, cc, own)
	fmt.Printf("median collectGarbage wall: %.2f s\n", median(g))
	fmt.Printf("leaklsp max rss: %.1f MiB\n", float64(rss)/1024)
	fmt.Printf("ratio wall (capture / writeHeapSnapshot): %.2f\n", cw/nw)
	fmt.Printf("ratio node cpu (capture / writeHeapSnapshot): %.2f\n", cc/nc)
	fmt.Printf("ratio all cpu (node+leaklsp / writeHeapSnapshot): %.2f\n", (cc+own)/nc)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:3], " ")
}

// app is the running capture-app.js.
type app struct {
	cmd     *exec.Cmd
	lines   chan string // its stdout
	ws      string      // inspector URL
	version string
	ready   string
}

var (
	listening = regexp.MustCompile(`Debugger listening on (ws://\S+)`)
	// quiet matches what node prints about inspector clients.
	quiet = regexp.MustCompile(`^(For help, see: |Debugger attached|Debugger ending on )`)
)

func startApp(c config) (*app, error) {
	out, err := exec.Command(c.node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --version: %w", c.node, err)
	}
	// The old space must hold the heap and what V8 allocates while it
	// builds a snapshot.
	maxOld := strconv.Itoa(c.heapMB*2 + 512)
	cmd := exec.Command(c.node, "--inspect=127.0.0.1:0", "--max-old-space-size="+maxOld, c.app, strconv.Itoa(c.heapMB), c.dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	a := &app{cmd: cmd, lines: make(chan string, 16), version: strings.TrimSpace(string(out))}
	wsc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				wsc <- m[1]
			} else if !quiet.MatchString(sc.Text()) {
				fmt.Fprintln(os.Stderr, "app:", sc.Text())
			}
		}
	}()
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			a.lines <- sc.Text()
		}
		close(a.lines)
	}()
	select {
	case a.ws = <-wsc:
	case <-time.After(time.Minute):
		a.stop()
		return nil, errors.New("the app did not open its inspector")
	}
	line, ok := <-a.lines
	if !ok || !strings.HasPrefix(line, "ready") {
		a.stop()
		return nil, fmt.Errorf("the app did not get ready: %q", line)
	}
	a.ready = line
	return a, nil
}

func (a *app) stop() {
	_ = a.cmd.Process.Kill()
	_ = a.cmd.Wait()
}

// cpu is the CPU time (user+sys) the app has used so far.
func (a *app) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", a.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// Fields after the parenthesised command name; utime and stime are
	// fields 14 and 15 of the whole line, in clock ticks (100 a second
	// on Linux).
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// peakRSS is the node process's VmHWM so far.
func (a *app) peakRSS() string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", a.cmd.Process.Pid))
	if err != nil {
		return "?"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kib, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return fmt.Sprintf("%.1f GiB", float64(kib)/(1<<20))
		}
	}
	return "?"
}

var wrote = regexp.MustCompile(`^wrote (\S+) ms=`)

func (a *app) writeHeapSnapshot(dir string) (sample, error) {
	c0, t0 := a.cpu(), time.Now()
	if err := a.cmd.Process.Signal(syscall.SIGUSR2); err != nil {
		return sample{}, err
	}
	line, ok := <-a.lines
	s := sample{wall: time.Since(t0), nodeCPU: a.cpu() - c0}
	m := wrote.FindStringSubmatch(line)
	if !ok || m == nil {
		return s, fmt.Errorf("the app did not write its snapshot: %q", line)
	}
	s.bytes = fileSize(m[1])
	return s, os.Remove(m[1])
}

func (a *app) capture(c config) (sample, error) {
	out := filepath.Join(c.dir, "leaklsp.heapsnapshot.gz")
	args := append([]string{"-v", c.leaklsp, "capture", "-o", out}, c.captureArgs...)
	cmd := exec.Command("/usr/bin/time", append(args, a.ws)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	cmd.Stdout = io.Discard
	c0, t0 := a.cpu(), time.Now()
	err := cmd.Run()
	s := sample{wall: time.Since(t0), nodeCPU: a.cpu() - c0, bytes: fileSize(out)}
	if err != nil {
		return s, fmt.Errorf("leaklsp capture: %v\n%s", err, stderr.String())
	}
	s.ownCPU, s.ownRSSKiB = parseTime(stderr.String())
	return s, os.Remove(out)
}

// parseTime reads user+sys and the maximum RSS from /usr/bin/time -v.
func parseTime(out string) (cpu time.Duration, rssKiB int64) {
	for _, l := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(l), ": ")
		if !ok {
			continue
		}
		switch k {
		case "User time (seconds)", "System time (seconds)":
			f, _ := strconv.ParseFloat(v, 64)
			cpu += time.Duration(f * float64(time.Second))
		case "Maximum resident set size (kbytes)":
			rssKiB, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	return cpu, rssKiB
}

// collectGarbage times one HeapProfiler.collectGarbage, the full GC
// leaklsp capture runs before the snapshot.
func (a *app) collectGarbage() (time.Duration, time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	s, err := inspector.Dial(ctx, a.ws)
	if err != nil {
		return 0, 0, err
	}
	defer s.Close()
	c0, t0 := a.cpu(), time.Now()
	_, err = cdp.Call(ctx, s, heapprofiler.CollectGarbage, cdp.Empty{})
	return time.Since(t0), a.cpu() - c0, err
}

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return fi.Size()
}
