package heap

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/gzip"
)

// LoadOptions configures Load.
type LoadOptions struct {
	// Size is the total number of input bytes if known (for progress and
	// to bound preallocation), else 0. For gzip input it is the compressed size.
	Size int64
	// Progress, if set, is called now and then (every few MB, and once at
	// the end) with the input bytes read so far and Size. For gzip input
	// both count compressed bytes.
	Progress func(done, total int64)
	// Cancel, if set, stops the load when closed: Load then returns
	// ErrCanceled (an editor dropping a load the user replaced).
	Cancel <-chan struct{}
}

// ErrCanceled is returned by Load when LoadOptions.Cancel was closed.
var ErrCanceled = errors.New("heapsnapshot: load canceled")

// ErrNotSnapshot is wrapped by the error Load returns for input that is
// not a heap snapshot at all (not JSON, or JSON without a "snapshot"
// header), as opposed to a snapshot that is damaged or truncated.
var ErrNotSnapshot = errors.New("not a heap snapshot")

// progressStep is how many input bytes pass between Progress calls: coarse
// enough to cost nothing, fine enough for a smooth editor progress bar.
const progressStep = 8 << 20

// Open loads the snapshot at path; gzip input is detected by its magic
// bytes. Size defaults to the file size.
func Open(path string, opts LoadOptions) (*Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if opts.Size == 0 {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			opts.Size = fi.Size()
		}
	}
	s, err := Load(f, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Load reads one snapshot from r (plain JSON, or gzip detected by its magic
// bytes 1f 8b) in a single streaming pass.
func Load(r io.Reader, opts LoadOptions) (*Snapshot, error) {
	cr := &countingReader{r: r, total: opts.Size, progress: opts.Progress, next: progressStep, cancel: opts.Cancel}
	br := bufio.NewReaderSize(cr, 64<<10)
	var src io.Reader = br
	gz := false
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("heapsnapshot: gzip: %w", err)
		}
		defer zr.Close()
		src, gz = zr, true
	}
	bufSize := opts.Size
	if gz {
		bufSize = 0 // the compressed size says little about the text
	}
	l := newLoader(newScanner(src, bufSize), opts.Size, gz)
	snap, err := l.load()
	if err != nil {
		return nil, err
	}
	if opts.Progress != nil {
		opts.Progress(cr.done, max(opts.Size, cr.done))
	}
	return snap, nil
}

// countingReader counts input bytes and reports progress every progressStep.
type countingReader struct {
	r        io.Reader
	done     int64
	total    int64
	next     int64
	progress func(done, total int64)
	cancel   <-chan struct{}
}

func (c *countingReader) Read(p []byte) (int, error) {
	select {
	case <-c.cancel: // a nil channel never fires
		return 0, ErrCanceled
	default:
	}
	n, err := c.r.Read(p)
	c.done += int64(n)
	if c.progress != nil && c.done >= c.next {
		c.progress(c.done, max(c.total, c.done))
		c.next = c.done + progressStep
	}
	return n, err
}

// loader holds the state of one Load: the scanner, the resolved header
// layout and the snapshot being filled.
type loader struct {
	sc    *scanner
	size  int64 // input size if known, bounds preallocation
	gz    bool
	h     *layout
	snap  *Snapshot
	seen  map[string]bool
	chunk []uint64 // numbers of one batch of records

	edgeNames []uint32 // the edges' name_or_index until all are read

	blocks []*numBlock // the parallel sections' block pool (blockPool)

	maxNodeName uint32 // largest string index used as a node name
	maxEdgeName uint32 // largest string index used as an edge name
	maxTraceFn  uint32 // largest function_info_index in trace_tree

	// errAt, when not -1, is the input offset that errors of a record
	// callback report: with parallel parsing the scanner is already past
	// the records being converted (see recordsParallel).
	errAt int64
}

func newLoader(sc *scanner, size int64, gz bool) *loader {
	return &loader{sc: sc, size: size, gz: gz, snap: &Snapshot{}, seen: map[string]bool{}, errAt: -1}
}

// errorf reports a malformed record at errAt (set while the records of
// parallel-parsed blocks are converted), else at the scanner's position.
func (l *loader) errorf(format string, args ...any) error {
	return l.errorfAt(l.errAt)(format, args...)
}

// errorfAt reports a malformed record at input offset at, or at the
// scanner's position when at is -1.
func (l *loader) errorfAt(at int64) func(format string, args ...any) error {
	if at < 0 {
		return l.sc.errorf
	}
	return func(format string, args ...any) error {
		return &SyntaxError{Offset: at, Msg: fmt.Sprintf(format, args...)}
	}
}

// sections the loader reads; anything else is skipped.
var requiredSections = []string{"snapshot", "nodes", "edges", "strings"}

func (l *loader) load() (*Snapshot, error) {
	sc := l.sc
	if err := l.begin(); err != nil {
		return nil, err
	}
	if c, ok := sc.peek(); ok && c == '}' {
		sc.pos++
	} else {
		for {
			if err := l.section(); err != nil {
				return nil, err
			}
			c, ok := sc.peek()
			if ok && c == ',' {
				sc.pos++
				continue
			}
			if ok && c == '}' {
				sc.pos++
				break
			}
			return nil, sc.unexpected("',' or '}' after a top-level section")
		}
	}
	if _, ok := sc.peek(); ok {
		return nil, sc.unexpected("end of input after the snapshot object")
	}
	if sc.rerr != nil {
		return nil, sc.unexpected("end of input")
	}
	return l.finish()
}

// begin consumes the '{' a snapshot starts with. Anything else (random
// bytes, a PNG, a CPU profile's text) is not a snapshot at all, which is
// what the user needs to hear, not which byte the parser wanted.
func (l *loader) begin() error {
	sc := l.sc
	c, ok := sc.peek()
	switch {
	case ok && c == '{':
		sc.pos++
		return nil
	case sc.rerr != nil:
		return sc.unexpected("'{' at start of a heap snapshot") // a read error, not the content
	case !ok:
		return fmt.Errorf("heapsnapshot: %w: the input is empty", ErrNotSnapshot)
	}
	return fmt.Errorf("heapsnapshot: %w: it starts with %s, not with a JSON object", ErrNotSnapshot, quoteByte(c))
}

// section reads one `"key": value` pair of the top-level object.
func (l *loader) section() error {
	sc := l.sc
	keyOff := sc.offset()
	kb, err := sc.str(nil)
	if err != nil {
		return err
	}
	key := string(kb)
	if err := sc.expect(':', fmt.Sprintf("':' after %q", key)); err != nil {
		return err
	}
	if l.seen[key] {
		return &SyntaxError{Offset: keyOff, Msg: fmt.Sprintf("duplicate section %q", key)}
	}
	l.seen[key] = true
	if l.h == nil && isHeaderDependent(key) {
		return &SyntaxError{Offset: keyOff, Msg: fmt.Sprintf("section %q before \"snapshot\"", key)}
	}
	switch key {
	case "snapshot":
		return l.readHeader()
	case "nodes":
		return l.readNodes()
	case "edges":
		return l.readEdges()
	case "locations":
		return l.readLocations()
	case "trace_function_infos":
		return l.readTraceFunctions()
	case "trace_tree":
		return l.readTraceTree()
	case "strings":
		return l.readStrings()
	}
	return sc.skipValue(nil) // samples and unknown keys
}

func isHeaderDependent(key string) bool {
	switch key {
	case "nodes", "edges", "locations", "trace_function_infos", "trace_tree":
		return true
	}
	return false
}

// finish checks what can only be checked once every section is read:
// presence of the required sections, string and trace-function indexes
// in range.
func (l *loader) finish() (*Snapshot, error) {
	if !l.seen["snapshot"] {
		return nil, fmt.Errorf("heapsnapshot: %w: a JSON object without the \"snapshot\" header", ErrNotSnapshot)
	}
	for _, k := range requiredSections {
		if !l.seen[k] {
			return nil, fmt.Errorf("heapsnapshot: missing %q section", k)
		}
	}
	s, h := l.snap, l.h
	n := uint32(s.Strings.Len())
	if s.NodeCount() > 0 && l.maxNodeName >= n {
		return nil, fmt.Errorf("heapsnapshot: node name index %d out of range (%d strings)", l.maxNodeName, n)
	}
	if s.EdgeCount() > 0 && l.maxEdgeName >= n {
		return nil, fmt.Errorf("heapsnapshot: edge name index %d out of range (%d strings)", l.maxEdgeName, n)
	}
	if h.traceFunctionCount >= 0 && l.seen["trace_function_infos"] && len(s.TraceFunctions) != h.traceFunctionCount {
		return nil, fmt.Errorf("heapsnapshot: trace_function_infos has %d records, header trace_function_count is %d",
			len(s.TraceFunctions), h.traceFunctionCount)
	}
	if len(s.TraceNodes) > 0 && int(l.maxTraceFn) >= len(s.TraceFunctions) {
		return nil, fmt.Errorf("heapsnapshot: trace_tree function_info_index %d out of range (%d trace_function_infos)",
			l.maxTraceFn, len(s.TraceFunctions))
	}
	return s, nil
}

// capFor bounds the preallocation for count records of width numbers each by
// what the input can hold (each number takes at least two bytes, "0,"), so
// a lying header cannot make us allocate gigabytes for a tiny file.
func (l *loader) capFor(count, width int) int {
	bound := 1 << 20
	if l.size > 0 {
		in := l.size
		if l.gz {
			// Snapshots gzip 5-10:1. Deflate can expand 1032:1, but
			// preallocating for that let a 6 MB .gz with a lying header
			// reserve 11 GB; past this bound the columns grow as read.
			in *= 24
		}
		if b := in/int64(2*max(width, 1)) + 1; b < int64(count) {
			return int(b)
		}
		return count
	}
	return min(count, bound)
}
