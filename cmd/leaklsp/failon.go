package main

import (
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/jsscan"
	"github.com/leaklsp/leaklsp/report"
)

// ciOptions are the flags a pipeline uses to decide what fails the build:
// --fail-on picks the findings that set exit status 1 (all of them are
// still printed), --min-growth and --min-growth-bytes say how much growth
// since --baseline is a leak.
type ciOptions struct {
	failOn *failOn // nil: every finding fails
	growth heap.GrowthThresholds
}

// addCIFlags registers the CI flags on fs.
func addCIFlags(fs *flag.FlagSet, o *ciOptions) {
	fs.Func("fail-on", "exit 1 only for findings that match one of `LIST` (comma-separated: codes such as LEAK101, heap, static, error, warning, info, hint); default: any finding", func(v string) error {
		f, err := parseFailOn(v)
		if err != nil {
			return err
		}
		o.failOn = f
		return nil
	})
	fs.Func("min-growth", "with --baseline: report a site when its object count grew by at least `N` (replaces the default 500 objects and 20%)", func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return errors.New("want a whole number of objects ≥ 1")
		}
		o.growth.Objects = n
		return nil
	})
	fs.Func("min-growth-bytes", "with --baseline: report a site when its self size grew by at least `BYTES` (suffix K, M or G for KiB, MiB, GiB; replaces the default 4M)", func(v string) error {
		n, err := parseBytes(v)
		if err != nil {
			return err
		}
		o.growth.Bytes = n
		return nil
	})
}

// validate checks the CI flags against the rest of the command line.
func (o *ciOptions) validate(hasBaseline bool) error {
	if o.growth != (heap.GrowthThresholds{}) && !hasBaseline {
		return errors.New("--min-growth and --min-growth-bytes need --baseline (or --baseline-last-id)")
	}
	return nil
}

// fails reports whether ds should make check exit 1.
func (o *ciOptions) fails(ds []report.Diagnostic) bool {
	for i := range ds {
		if o.failOn == nil || o.failOn.matches(&ds[i]) {
			return true
		}
	}
	return false
}

// failOn is a parsed --fail-on list; a diagnostic fails when any entry
// matches it.
type failOn struct {
	codes      map[string]bool
	evidence   map[report.Evidence]bool // heap, static (a merged diagnostic is both)
	severities map[jsscan.Severity]bool
}

var codeRE = regexp.MustCompile(`^LEAK\d{3}$`)

var severityNames = map[string]jsscan.Severity{
	"error": jsscan.SeverityError, "warning": jsscan.SeverityWarning,
	"info": jsscan.SeverityInfo, "hint": jsscan.SeverityHint,
}

func parseFailOn(v string) (*failOn, error) {
	f := &failOn{codes: map[string]bool{}, evidence: map[report.Evidence]bool{}, severities: map[jsscan.Severity]bool{}}
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		up, low := strings.ToUpper(item), strings.ToLower(item)
		switch {
		case codeRE.MatchString(up):
			f.codes[up] = true
		case low == "heap":
			f.evidence[report.Heap] = true
		case low == "static":
			f.evidence[report.Static] = true
		case severityNames[low] != 0:
			f.severities[severityNames[low]] = true
		default:
			return nil, fmt.Errorf("unknown entry %q (want a code such as LEAK101, heap, static, error, warning, info or hint)", item)
		}
	}
	return f, nil
}

func (f *failOn) matches(d *report.Diagnostic) bool {
	for _, c := range d.Codes() { // a merged diagnostic fails on its static or its heap code
		if f.codes[c] {
			return true
		}
	}
	if f.evidence[d.Source] || d.Source == report.Both && (f.evidence[report.Heap] || f.evidence[report.Static]) {
		return true
	}
	return f.severities[d.Severity]
}

// parseBytes reads a byte count with an optional K, M or G (binary) suffix.
func parseBytes(v string) (uint64, error) {
	s := strings.ToUpper(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(v), "B"), "b"))
	mult := uint64(1)
	if n := len(s); n > 0 {
		switch s[n-1] {
		case 'K':
			mult, s = 1<<10, s[:n-1]
		case 'M':
			mult, s = 1<<20, s[:n-1]
		case 'G':
			mult, s = 1<<30, s[:n-1]
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		return 0, errors.New("want a byte count ≥ 1 such as 65536, 64K or 4M")
	}
	return n * mult, nil
}
