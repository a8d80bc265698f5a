package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/leaklsp/leaklsp/inspector"
)

// captureOptions are the flags of `leaklsp capture`.
type captureOptions struct {
	out    string
	track  bool
	after  time.Duration
	target string
}

const captureUsage = `Usage: leaklsp capture [-o FILE] [--track-allocations [--after DURATION]] [TARGET]

Takes a heap snapshot of a running Node.js process over its inspector and
writes it gzip-compressed (constant memory, whatever the heap size).

TARGET is one of
  ws://127.0.0.1:9229/<id>   an inspector WebSocket URL
  127.0.0.1:9229 or 9229     an inspector address (node --inspect[=…]); default 127.0.0.1:9229
  pid:1234                   a process; its inspector is enabled with SIGUSR1 if needed

Flags:
`

func parseCapture(args []string, stderr io.Writer) (*captureOptions, error) {
	o := &captureOptions{}
	fs := flag.NewFlagSet("capture", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, captureUsage); fs.PrintDefaults() }
	fs.StringVar(&o.out, "o", "", "output `FILE` (default heap-<time>.heapsnapshot.gz; .gz compresses)")
	fs.BoolVar(&o.track, "track-allocations", false, "record allocation stacks before the snapshot; only objects allocated after it starts get one")
	fs.DurationVar(&o.after, "after", 0, "with --track-allocations: record for `DURATION` (default: until Enter on a terminal, else 10s)")
	if err := parseInterleaved(fs, args); err != nil {
		return nil, err
	}
	switch fs.NArg() {
	case 0:
	case 1:
		o.target = fs.Arg(0)
	default:
		return nil, fmt.Errorf("one TARGET, got %d", fs.NArg())
	}
	if o.after != 0 && !o.track {
		return nil, errors.New("--after needs --track-allocations")
	}
	if o.out == "" {
		o.out = defaultSnapshotName(time.Now())
	}
	return o, nil
}

func defaultSnapshotName(t time.Time) string {
	return "heap-" + t.Format("20060102-150405") + ".heapsnapshot.gz"
}

// capture is `leaklsp capture`: exit 0 captured, 2 error.
func capture(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parseCapture(args, stderr)
	if code, end := flagsEnd("capture", err, stderr); end {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	s, err := connect(ctx, o.target)
	if err != nil {
		fmt.Fprintln(stderr, "leaklsp capture:", err)
		return 2
	}
	defer s.Close()
	opts := inspector.Options{Tracking: o.track, Progress: progressPrinter(stderr, o.out)}
	if o.track {
		if err := inspector.StartTracking(ctx, s); err != nil {
			fmt.Fprintln(stderr, "leaklsp capture:", err)
			return 2
		}
		waitFor(ctx, s, o.after, stdin, stderr, "recording allocations")
	}
	start := time.Now()
	n, err := inspector.CaptureFile(ctx, s, o.out, opts)
	if err != nil {
		fmt.Fprintln(stderr, "leaklsp capture:", err)
		return 2
	}
	if isTerminal(stderr) {
		fmt.Fprintf(stderr, "captured %s (%s of snapshot) in %s\n", o.out, megabytes(n), time.Since(start).Round(time.Millisecond))
	}
	fmt.Fprintln(stdout, o.out)
	return 0
}

// connect resolves TARGET and opens a session on it.
func connect(ctx context.Context, target string) (*inspector.Session, error) {
	ws, err := inspector.Resolve(ctx, target)
	if err != nil {
		return nil, err
	}
	return inspector.Dial(ctx, ws)
}

// waitFor waits d, or with d == 0 until Enter on a terminal (10s when
// stdin is not one), or until the process goes away or ctx ends.
func waitFor(ctx context.Context, s *inspector.Session, d time.Duration, stdin io.Reader, stderr io.Writer, what string) {
	enter := make(chan struct{})
	if d == 0 {
		if f, ok := stdin.(*os.File); ok && isTerminal(f) {
			fmt.Fprintf(stderr, "%s; press Enter to take the snapshot… ", what)
			go func() { _, _ = fmt.Fscanln(f); close(enter) }()
			d = 24 * time.Hour
		} else {
			d = 10 * time.Second
		}
	}
	if isTerminal(stderr) && d < 24*time.Hour {
		fmt.Fprintf(stderr, "%s for %s…\n", what, d)
	}
	select {
	case <-time.After(d):
	case <-enter:
	case <-s.Done():
	case <-ctx.Done():
	}
}

// progressPrinter shows the capture moving on a terminal, nothing elsewhere.
func progressPrinter(w io.Writer, name string) func(inspector.Progress) {
	if !isTerminal(w) {
		return nil
	}
	return func(p inspector.Progress) {
		switch p.Phase {
		case "building":
			fmt.Fprintf(w, "\r\033[K%s: building snapshot %3d%%", name, p.Done*100/max(p.Total, 1))
		default:
			fmt.Fprintf(w, "\r\033[K%s: %s received", name, megabytes(p.Bytes))
		}
	}
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
