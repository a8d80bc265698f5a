package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/jsscan"
	"github.com/leaklsp/leaklsp/report"
	"github.com/leaklsp/leaklsp/workspace"
)

// checkOptions are the flags of `leaklsp check`.
type checkOptions struct {
	snapshot, baseline string
	lastID             *uint32 // --baseline-last-id: a watermark baseline
	mappings           map[string]string
	format             string
	nodeModules        bool
	fix                bool
	noStatic           bool
	exitZero           bool
	noIndex            bool
	paths              []string
	ci                 ciOptions // --fail-on, --min-growth (failon.go)
}

// checkUsage is printed by `check -h` (to stdout) and after a flag error
// (to stderr).
const checkUsage = `Usage: leaklsp check [flags] [PATH…]

Scans PATHs (default ".") for leak patterns and, with --snapshot, reports the
heap snapshot's leak suspects mapped to their source lines.
Exit status: 0 nothing found (or nothing that --fail-on selects), 1 findings,
2 error.

Flags:
`

// errUsage is a flag error the flag package has already printed.
var errUsage = errors.New("bad flags")

func parseCheck(args []string, stdout, stderr io.Writer) (*checkOptions, error) {
	o := &checkOptions{mappings: map[string]string{}}
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr) // the flag package prints parse errors here
	fs.Usage = func() {} // help goes to stdout, below; an error only needs a hint
	fs.StringVar(&o.snapshot, "snapshot", "", "V8 `FILE`.heapsnapshot (plain or gzip) to analyse")
	fs.StringVar(&o.baseline, "baseline", "", "earlier snapshot `FILE` of the same process, to report growth")
	fs.Func("baseline-last-id", "instead of --baseline: the last object `ID` V8 had assigned at the baseline (the inspector's HeapProfiler.lastSeenObjectId); objects with a higher id are new", func(v string) error {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return errors.New("want an object id (a whole number below 2^32)")
		}
		id := uint32(n)
		o.lastID = &id
		return nil
	})
	fs.Func("map", "path mapping `FROM=TO`: scripts under FROM in the snapshot are files under TO (repeatable)", func(v string) error {
		from, to, ok := strings.Cut(v, "=")
		if !ok || from == "" || to == "" {
			return errors.New("want FROM=TO")
		}
		o.mappings[from] = to
		return nil
	})
	fs.StringVar(&o.format, "format", "text", "output `format`: text, json or sarif")
	fs.BoolVar(&o.nodeModules, "include-node-modules", false, "also scan and map files under node_modules")
	fs.BoolVar(&o.fix, "fix", false, "apply the safe fixes of static findings")
	fs.BoolVar(&o.noStatic, "no-static", false, "skip the static scan (heap suspects only; needs --snapshot)")
	fs.BoolVar(&o.exitZero, "exit-zero", false, "exit 0 even when something was found")
	fs.BoolVar(&o.noIndex, "no-index", false, "neither use nor write the re-open index of the snapshot (also: LEAKLSP_INDEX_DIR=off)")
	addCIFlags(fs, &o.ci)
	if err := parseInterleaved(fs, args); errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, checkUsage)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return nil, err
	} else if err != nil {
		fmt.Fprintln(stderr, `Run "leaklsp check -h" for the flags.`)
		return nil, errUsage
	}
	o.paths = fs.Args()
	switch o.format {
	case "text", "json", "sarif":
	default:
		return nil, fmt.Errorf("unknown --format %q (want text, json or sarif)", o.format)
	}
	if o.baseline != "" && o.snapshot == "" {
		return nil, errors.New("--baseline needs --snapshot")
	}
	if o.lastID != nil && (o.snapshot == "" || o.baseline != "") {
		return nil, errors.New("--baseline-last-id needs --snapshot and replaces --baseline")
	}
	if o.noStatic && o.snapshot == "" {
		return nil, errors.New("--no-static needs --snapshot (without a snapshot and without the static scan there is nothing to check)")
	}
	if o.noStatic && o.fix {
		return nil, errors.New("--fix applies static fixes; it cannot be combined with --no-static")
	}
	if err := o.ci.validate(o.baseline != "" || o.lastID != nil); err != nil {
		return nil, err
	}
	if len(o.paths) == 0 {
		o.paths = []string{"."}
	}
	return o, nil
}

// check is `leaklsp check`: exit 0 nothing found, 1 findings, 2 error.
func check(args []string, stdout, stderr io.Writer) int {
	o, err := parseCheck(args, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if errors.Is(err, errUsage) {
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "leaklsp check:", err)
		return 2
	}
	ds, root, writeIndex, err := analyse(o, stderr)
	defer writeIndex() // after the output: nobody waits for it but the next run
	if err != nil {
		fmt.Fprintln(stderr, "leaklsp check:", err)
		return 2
	}
	switch o.format {
	case "json":
		err = report.WriteJSON(stdout, ds, root)
	case "sarif":
		err = report.WriteSARIF(stdout, ds, sarifRoot(root), version)
	default:
		err = report.WriteText(stdout, ds, root)
	}
	if err != nil {
		fmt.Fprintln(stderr, "leaklsp check:", err)
		return 2
	}
	if o.ci.fails(ds) && !o.exitZero {
		return 1
	}
	return 0
}

// analyse runs the static scan and the heap analysis and merges them. root
// is the directory output paths are relative to (the first PATH's);
// writeIndex waits for the snapshot's re-open index to be written, if it
// has a new one.
func analyse(o *checkOptions, stderr io.Writer) (ds []report.Diagnostic, root string, writeIndex func(), err error) {
	writeIndex = func() {}
	roots, files, err := splitPaths(o.paths)
	if err != nil {
		return nil, "", writeIndex, err
	}
	root = roots[0]
	var located []report.Located
	if o.snapshot != "" {
		var suspects []heap.Suspect
		suspects, writeIndex, err = heapSuspects(o, stderr)
		if err != nil {
			return nil, "", writeIndex, err
		}
		m := workspace.New(roots, workspace.Options{Mappings: o.mappings, IncludeNodeModules: o.nodeModules})
		located = report.Locate(suspects, m)
	}
	var findings []jsscan.Finding
	if !o.noStatic {
		if findings, err = scan(roots, files, o.nodeModules); err != nil {
			return nil, "", writeIndex, err
		}
		if o.fix {
			changed, err := applyFixes(findings, stderr, root)
			if err != nil {
				return nil, "", writeIndex, err
			}
			if changed > 0 { // report what is left
				if findings, err = scan(roots, files, o.nodeModules); err != nil {
					return nil, "", writeIndex, err
				}
			}
		}
	}
	return report.Build(located, findings, readFile), root, writeIndex, nil
}

// splitPaths turns PATHs into workspace roots (directories; a file's
// directory) and the explicit files to scan.
func splitPaths(paths []string) (roots, files []string, err error) {
	seen := map[string]bool{}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, nil, err
		}
		st, err := os.Stat(abs)
		if err != nil {
			return nil, nil, err
		}
		dir := abs
		if !st.IsDir() {
			files = append(files, abs)
			dir = filepath.Dir(abs)
		}
		if !seen[dir] {
			seen[dir] = true
			roots = append(roots, dir)
		}
	}
	return roots, files, nil
}

// scan runs jsscan over the directories that were given as PATHs and the
// files that were given explicitly.
func scan(roots, files []string, nodeModules bool) ([]jsscan.Finding, error) {
	defer tuneGCForScan()()
	explicit := map[string]bool{}
	for _, f := range files {
		explicit[filepath.Dir(f)] = true
	}
	var out []jsscan.Finding
	for _, r := range roots {
		if explicit[r] {
			continue // a file's directory is a root for mapping, not a scan target
		}
		fs, err := jsscan.ScanDir(r, jsscan.DirOptions{IncludeNodeModules: nodeModules})
		if err != nil {
			return nil, err
		}
		for i := range fs {
			if !filepath.IsAbs(fs[i].Path) {
				fs[i].Path = filepath.Join(r, fs[i].Path)
			}
		}
		out = append(out, fs...)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, jsscan.Scan(f, src)...)
	}
	return out, nil
}

// heapSuspects loads the snapshot (and baseline) and runs the detectors,
// or takes their results from the re-open index of an earlier run.
func heapSuspects(o *checkOptions, stderr io.Writer) ([]heap.Suspect, func(), error) {
	cache, err := indexCache(o.noIndex)
	if err != nil {
		return nil, func() {}, err
	}
	var base *heap.Baseline
	shown := false // the "analysing" line, cleared when done
	defer func() {
		if shown {
			fmt.Fprint(stderr, "\r\033[K")
		}
	}()
	run := heap.CachedRun[[]heap.Suspect]{
		Path:        o.snapshot,
		Fingerprint: fmt.Sprintf("check suspects growth=%+v last-id=%s", o.ci.growth, lastIDKey(o.lastID)),
		Baseline:    o.baseline,
		Prepare: func() (err error) {
			switch {
			case o.baseline != "": // the baseline's columns are dropped before the target loads
				base, err = heap.BaselineCached(cache, o.baseline, func() (*heap.Snapshot, error) {
					return loadSnapshot(o.baseline, "baseline snapshot", stderr)
				})
			case o.lastID != nil:
				base = heap.NewWatermarkBaseline(*o.lastID)
			}
			return err
		},
		Parse: func() (*heap.Snapshot, error) {
			s, err := loadSnapshot(o.snapshot, "snapshot", stderr)
			if err == nil && isTerminal(stderr) { // the graph is next, the long step
				fmt.Fprintf(stderr, "analysing %s: %d nodes, %d edges…", filepath.Base(o.snapshot), s.NodeCount(), s.EdgeCount())
				shown = true
			}
			return s, err
		},
		Compute: func(g *heap.Graph) ([]heap.Suspect, error) {
			return heap.Analyze(g.Snapshot, heap.AnalyzeOptions{Baseline: base, Growth: o.ci.growth, Graph: g}), nil
		},
	}
	suspects, writeIndex, err := run.Run(cache)
	if writeIndex == nil {
		return suspects, func() {}, err
	}
	// Write the index while the static scan and the output go on (with
	// O_DIRECT it mostly waits for the disk); the graph is freed once it
	// is written, and the process waits for it before exiting.
	written := make(chan struct{})
	go func() {
		defer close(written)
		writeIndex()
	}()
	return suspects, func() { <-written }, nil
}

// lastIDKey is --baseline-last-id in the results' cache key ("-" if unset).
func lastIDKey(id *uint32) string {
	if id == nil {
		return "-"
	}
	return fmt.Sprint(*id)
}

// indexCache is the re-open index cache, nil when disabled.
func indexCache(off bool) (*heap.IndexCache, error) {
	if off {
		return nil, nil
	}
	return heap.DefaultIndexCache()
}

// loadSnapshot loads path; role ("snapshot", "baseline snapshot") names
// which of the inputs failed.
func loadSnapshot(path, role string, stderr io.Writer) (*heap.Snapshot, error) {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("cannot load %s %s: not a regular file", role, path)
	}
	opts := heap.LoadOptions{}
	if isTerminal(stderr) { // a multi-GB load takes a while: show it moving
		opts.Progress = func(done, total int64) {
			fmt.Fprintf(stderr, "\rloading %s: %3d%%", filepath.Base(path), done*100/max(total, 1))
		}
		defer fmt.Fprint(stderr, "\r\033[K")
	}
	s, err := heap.Open(path, opts)
	if err != nil { // the error names the file
		return nil, fmt.Errorf("cannot load %s: %w", role, err)
	}
	if s == nil {
		return nil, fmt.Errorf("cannot load %s %s: loader returned nothing", role, path)
	}
	return s, nil
}

func readFile(p string) []byte {
	b, _ := os.ReadFile(p)
	return b
}
