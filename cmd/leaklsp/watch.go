package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/leaklsp/leaklsp/inspector"
)

// watchOptions are the flags of `leaklsp watch`.
type watchOptions struct {
	after      time.Duration
	run        string
	iterations int
	dir        string
	track      bool
	onlyFiles  bool // print the two snapshot files instead of the report
	target     string
	checkArgs  []string // flags and PATHs handed to `leaklsp check`
}

const watchUsage = `Usage: leaklsp watch [--after DURATION | --run CMD [--iterations N]] [-o DIR] TARGET [PATH…]

Finds what grows in a running Node.js process: takes a baseline heap
snapshot, waits (DURATION, N runs of CMD such as a load script, or until
Enter on a terminal), collects garbage, takes the target snapshot, and
reports like "leaklsp check --baseline": LEAK120 growth per source line —
objects allocated after the baseline and still alive after the final GC —
and every other detector's findings, on the files under PATHs (default ".").

TARGET is as for "leaklsp capture" (ws://…, host:port, port, pid:N).
Exit status: 0 nothing found, 1 findings, 2 error.

Flags:
`

func parseWatch(args []string, stderr io.Writer) (*watchOptions, error) {
	o := &watchOptions{}
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, watchUsage); fs.PrintDefaults() }
	fs.DurationVar(&o.after, "after", 0, "wait `DURATION` between the snapshots")
	fs.StringVar(&o.run, "run", "", "run `CMD` (with sh -c) between the snapshots, e.g. a load script")
	fs.IntVar(&o.iterations, "iterations", 1, "with --run: run CMD `N` times")
	fs.StringVar(&o.dir, "o", ".leaklsp", "`DIR` to keep the snapshots in")
	fs.BoolVar(&o.track, "track-allocations", false, "record allocation stacks from the baseline on (slows the process)")
	fs.BoolVar(&o.onlyFiles, "capture-only", false, "print the baseline and target files (one a line) instead of the report (editors load them)")
	// Flags of check, passed through.
	pass := func(name string) func(string) error {
		return func(v string) error { o.checkArgs = append(o.checkArgs, "--"+name+"="+v); return nil }
	}
	fs.Func("map", "path mapping `FROM=TO` as for check (repeatable)", pass("map"))
	fs.Func("format", "output `format`: text, json or sarif", pass("format"))
	for _, b := range []struct{ name, doc string }{
		{"exit-zero", "exit 0 even when something was found"},
		{"no-static", "skip the static scan (heap findings only)"},
		{"include-node-modules", "also scan and map files under node_modules"},
	} {
		fs.BoolFunc(b.name, b.doc, func(v string) error {
			o.checkArgs = append(o.checkArgs, "--"+b.name+"="+v)
			return nil
		})
	}
	if err := parseInterleaved(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() == 0 {
		return nil, errors.New("missing TARGET (ws://…, host:port, port or pid:N)")
	}
	o.target = fs.Arg(0)
	o.checkArgs = append(o.checkArgs, fs.Args()[1:]...)
	switch {
	case o.after != 0 && o.run != "":
		return nil, errors.New("--after and --run exclude each other")
	case o.iterations < 1:
		return nil, errors.New("--iterations must be at least 1")
	case o.iterations != 1 && o.run == "":
		return nil, errors.New("--iterations needs --run")
	}
	return o, nil
}

// watch is `leaklsp watch`.
func watch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parseWatch(args, stderr)
	if code, end := flagsEnd("watch", err, stderr); end {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	base, target, err := watchCapture(ctx, o, stdin, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "leaklsp watch:", err)
		return 2
	}
	if o.onlyFiles {
		fmt.Fprintf(stdout, "%s\n%s\n", base, target)
		return 0
	}
	fmt.Fprintf(stderr, "baseline %s\ntarget   %s\n", base, target)
	return check(append([]string{"--snapshot", target, "--baseline", base}, o.checkArgs...), stdout, stderr)
}

// watchCapture takes the baseline, waits, and takes the target; it
// returns the two files.
func watchCapture(ctx context.Context, o *watchOptions, stdin io.Reader, stderr io.Writer) (base, target string, err error) {
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return "", "", err
	}
	s, err := connect(ctx, o.target)
	if err != nil {
		return "", "", err
	}
	defer s.Close()
	stamp := time.Now().Format("20060102-150405")
	base = filepath.Join(o.dir, stamp+"-baseline.heapsnapshot.gz")
	target = filepath.Join(o.dir, stamp+"-target.heapsnapshot.gz")
	if o.track {
		if err := inspector.StartTracking(ctx, s); err != nil {
			return "", "", err
		}
	}
	if _, err := inspector.CaptureFile(ctx, s, base, inspector.Options{Progress: progressPrinter(stderr, base)}); err != nil {
		return "", "", err
	}
	if err := watchWait(ctx, o, s, stdin, stderr); err != nil {
		os.Remove(base)
		return "", "", err
	}
	if err := s.Err(); err != nil {
		os.Remove(base)
		return "", "", fmt.Errorf("the process went away before the target snapshot: %w", err)
	}
	opts := inspector.Options{Tracking: o.track, Progress: progressPrinter(stderr, target)}
	if _, err := inspector.CaptureFile(ctx, s, target, opts); err != nil {
		return "", "", err
	}
	return base, target, nil
}

// watchWait is the time between the snapshots: the command runs, the
// duration, or the user's Enter.
func watchWait(ctx context.Context, o *watchOptions, s *inspector.Session, stdin io.Reader, stderr io.Writer) error {
	if o.run == "" {
		if f, ok := stdin.(*os.File); o.after == 0 && (!ok || !isTerminal(f)) {
			return errors.New("say how long to wait: --after DURATION or --run CMD (or run on a terminal and press Enter)")
		}
		waitFor(ctx, s, o.after, stdin, stderr, "baseline taken; exercise the process")
		return ctx.Err()
	}
	for i := range o.iterations {
		cmd := exec.CommandContext(ctx, "sh", "-c", o.run)
		cmd.Stdout, cmd.Stderr = stderr, stderr // stdout is the report's
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("--run %q (iteration %d of %d): %w", o.run, i+1, o.iterations, err)
		}
		if err := s.Err(); err != nil {
			return fmt.Errorf("the process went away during --run: %w", err)
		}
	}
	return nil
}
