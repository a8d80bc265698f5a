package heap

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// loadMode is one setting of the parallel loader: workers (1 = sequential)
// and the block size in bytes.
type loadMode struct{ workers, block int }

// parallelModes covers the sequential scanner and the pipeline with blocks
// small enough to cut inside every record of the tiny snapshot, and a few
// workers (more than cores, to interleave).
var parallelModes = []loadMode{{1, 1 << 20}, {2, 1}, {3, 5}, {2, 64}, {4, 4096}, {2, 1 << 20}}

func withLoadMode(t testing.TB, m loadMode) {
	oldW, oldB := loadWorkers, loadBlockSize
	loadWorkers, loadBlockSize = m.workers, m.block
	t.Cleanup(func() { loadWorkers, loadBlockSize = oldW, oldB })
}

// loadIn loads data in mode m, restoring the defaults afterwards.
func loadIn(m loadMode, r io.Reader, opts LoadOptions) (*Snapshot, error) {
	oldW, oldB := loadWorkers, loadBlockSize
	loadWorkers, loadBlockSize = m.workers, m.block
	defer func() { loadWorkers, loadBlockSize = oldW, oldB }()
	return Load(r, opts)
}

// TestLoadParallelEqualsSequential: every mode decodes the tiny snapshot
// and a real fixture (plain and gzip, whole and trickled) to exactly what
// the sequential scanner decodes.
func TestLoadParallelEqualsSequential(t *testing.T) {
	dir, snaps := manifestSnapshots(t)
	fixture := gunzipFile(t, filepath.Join(dir, snaps[0].File))
	inputs := map[string][]byte{"tiny": readTiny(t), "fixture": fixture}
	for name, data := range inputs {
		want, err := loadIn(loadMode{1, 1 << 20}, bytes.NewReader(data), LoadOptions{Size: int64(len(data))})
		if err != nil {
			t.Fatalf("%s: sequential: %v", name, err)
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(data)
		zw.Close()
		for _, m := range parallelModes {
			if name == "fixture" && m.block < 64 {
				continue // a million one-byte blocks prove nothing more than the tiny ones
			}
			for how, r := range map[string]func() io.Reader{
				"whole":   func() io.Reader { return bytes.NewReader(data) },
				"trickle": func() io.Reader { return &trickleReader{data: data, step: 3} },
				"gzip":    func() io.Reader { return bytes.NewReader(gz.Bytes()) },
			} {
				got, err := loadIn(m, r(), LoadOptions{})
				if err != nil {
					t.Fatalf("%s %s %+v: %v", name, how, m, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s %s %+v: differs from the sequential load", name, how, m)
				}
			}
		}
	}
}

// TestLoadParallelErrors: malformed number sections fail in every mode
// with the sequential error; syntax errors (a bad byte, a truncation)
// carry the same input offset.
func TestLoadParallelErrors(t *testing.T) {
	tiny := string(readTiny(t))
	cases := map[string]string{
		"bad separator":   strings.Replace(tiny, ",3,8,24", ",3,8x24", 1),
		"negative":        strings.Replace(tiny, ",16,5,11,8,0,0", ",16,5,11,-8,0,0", 1),
		"trailing comma":  strings.Replace(tiny, ",16,5,11,8,0,0]", ",16,5,11,8,0,0,]", 1),
		"empty value":     strings.Replace(tiny, ",3,8,24", ",3,,8,24", 1),
		"partial record":  strings.Replace(tiny, ",16,5,11,8,0,0]", ",16,5,11,8,0]", 1),
		"too many nodes":  strings.Replace(tiny, `"node_count":6`, `"node_count":5`, 1),
		"too few nodes":   strings.Replace(tiny, `"node_count":6`, `"node_count":7`, 1),
		"to_node":         strings.Replace(tiny, ",3,8,24", ",3,8,25", 1),
		"node type":       strings.Replace(tiny, ",16,5,11,8", ",17,5,11,8", 1),
		"number too long": strings.Replace(tiny, ",3,8,24", ",3,8,123456789012345678901", 1),
		"no closing":      tiny[:strings.Index(tiny, "],\n\"edges\"")],
		"truncated edges": tiny[:strings.Index(tiny, `"edges":[`)+14],
	}
	for name, in := range cases {
		_, want := loadIn(loadMode{1, 1 << 20}, strings.NewReader(in), LoadOptions{Size: int64(len(in))})
		if want == nil {
			t.Fatalf("%s: sequential load accepted it", name)
		}
		var wantSE *SyntaxError
		errors.As(want, &wantSE)
		for _, m := range parallelModes[1:] {
			_, got := loadIn(m, strings.NewReader(in), LoadOptions{Size: int64(len(in))})
			if got == nil {
				t.Errorf("%s %+v: no error; sequential: %v", name, m, want)
				continue
			}
			var se *SyntaxError
			if !errors.As(got, &se) || wantSE == nil || se.Msg != wantSE.Msg {
				t.Errorf("%s %+v:\n got %v\nwant %v", name, m, got, want)
				continue
			}
			if isScanError(se.Msg) && se.Offset != wantSE.Offset {
				t.Errorf("%s %+v: offset %d, sequential %d (%s)", name, m, se.Offset, wantSE.Offset, se.Msg)
			}
		}
	}
}

// isScanError tells errors of the byte scanner (exact offsets in every
// mode) from record errors, which report where the scan had got to.
func isScanError(msg string) bool {
	return strings.HasPrefix(msg, "expected ") || strings.HasPrefix(msg, "number too large")
}

// TestLoadParallelEveryPrefix: every prefix fails in parallel mode too,
// with a positioned error and no leaked goroutine blocking the next load.
func TestLoadParallelEveryPrefix(t *testing.T) {
	withLoadMode(t, loadMode{2, 3})
	tiny := readTiny(t)
	for n := range len(bytes.TrimSpace(tiny)) {
		_, err := Load(bytes.NewReader(tiny[:n]), LoadOptions{Size: int64(n)})
		var se *SyntaxError
		if err == nil || (!errors.As(err, &se) && !strings.Contains(err.Error(), "missing") && !errors.Is(err, ErrNotSnapshot)) {
			t.Fatalf("prefix %d: got %v, want a SyntaxError", n, err)
		}
	}
}

// TestLoadParallelCancel: a cancel during a number section stops the
// pipeline with ErrCanceled.
func TestLoadParallelCancel(t *testing.T) {
	withLoadMode(t, loadMode{2, 16})
	tiny := readTiny(t)
	stop := make(chan struct{})
	r := &cancelAfter{data: tiny, at: bytes.Index(tiny, []byte(`"edges"`)) + 12, stop: stop}
	_, err := Load(r, LoadOptions{Cancel: stop})
	if !errors.Is(err, ErrCanceled) {
		t.Fatalf("got %v, want ErrCanceled", err)
	}
}

// cancelAfter reads one byte at a time and closes stop once at bytes are read.
type cancelAfter struct {
	data []byte
	at   int
	read int
	stop chan struct{}
}

func (r *cancelAfter) Read(p []byte) (int, error) {
	if r.read == r.at {
		close(r.stop)
	}
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:1], r.data)
	r.data, r.read = r.data[n:], r.read+n
	return n, nil
}
