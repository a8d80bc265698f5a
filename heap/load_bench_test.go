package heap

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// benchSnapshot returns the uncompressed bytes of the snapshot to benchmark:
// $LEAKLSP_BENCH_SNAPSHOT (a plain .heapsnapshot, e.g. one written by
// bench/gen-large.js) if set, else the largest shared fixture.
func benchSnapshot(b *testing.B) []byte {
	b.Helper()
	if p := os.Getenv("LEAKLSP_BENCH_SNAPSHOT"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	dir, snaps := manifestSnapshots(b)
	largest := snaps[0]
	for _, s := range snaps {
		if s.UncompressedSizeBytes > largest.UncompressedSizeBytes {
			largest = s
		}
	}
	return gunzipFile(b, filepath.Join(dir, largest.File))
}

// BenchmarkLoad measures parsing plain input from memory (MB/s).
func BenchmarkLoad(b *testing.B) {
	data := benchSnapshot(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(bytes.NewReader(data), LoadOptions{Size: int64(len(data))}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewGraph measures retainers, distances, dominators and retained
// sizes; bytes are the snapshot's, for comparison with BenchmarkLoad.
func BenchmarkNewGraph(b *testing.B) {
	data := benchSnapshot(b)
	s, err := Load(bytes.NewReader(data), LoadOptions{Size: int64(len(data))})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		NewGraph(s)
	}
}
