package heap

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

// benchIndexed opens the snapshot to benchmark ($LEAKLSP_BENCH_SNAPSHOT,
// read from the file so that only the graph is in memory, else the largest
// fixture), builds its graph and writes its index into a test cache.
//
//	LEAKLSP_BENCH_SNAPSHOT=/tmp/big.heapsnapshot go test ./heap -run X -bench Index -benchtime 3x
func benchIndexed(b *testing.B) (*IndexCache, indexKey, *Graph) {
	b.Helper()
	path := os.Getenv("LEAKLSP_BENCH_SNAPSHOT")
	if path == "" {
		path = filepath.Join(fixturesDir(b), "snapshots", "a-timers-als.tracked.heapsnapshot.gz")
	}
	s, err := Open(path, LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	g := NewGraph(s)
	k, err := keyOf(path)
	if err != nil {
		b.Fatal(err)
	}
	c := NewIndexCache(b.TempDir(), 1<<40)
	if err := c.storeGraph(k, g, nil); err != nil {
		b.Fatal(err)
	}
	return c, k, g
}

// BenchmarkIndexWrite measures writing the graph index (bytes: the index).
func BenchmarkIndexWrite(b *testing.B) {
	c, k, g := benchIndexed(b)
	b.SetBytes(fileSize(b, c.file(k.stem+graphExt)))
	cpu0, n := cpuTime(), 0
	for b.Loop() {
		if err := c.storeGraph(k, g, nil); err != nil {
			b.Fatal(err)
		}
		n++
	}
	reportCPU(b, cpu0, n)
}

// BenchmarkIndexOpen measures mapping, verifying and binding the graph
// index (bytes: the index).
func BenchmarkIndexOpen(b *testing.B) {
	c, k, _ := benchIndexed(b)
	debug.FreeOSMemory() // the graph: measure the mapped one alone
	b.SetBytes(fileSize(b, c.file(k.stem+graphExt)))
	cpu0, n := cpuTime(), 0
	for b.Loop() {
		if _, err := onMappedGraph(c, k, func(*Graph) (int, error) { return 0, nil }); err != nil {
			b.Fatal(err)
		}
		n++
	}
	reportCPU(b, cpu0, n)
}

// BenchmarkIndexReanalyze measures a re-open that runs the detectors on
// the mapped graph (other options than the stored results').
func BenchmarkIndexReanalyze(b *testing.B) {
	c, k, _ := benchIndexed(b)
	debug.FreeOSMemory()
	cpu0, n := cpuTime(), 0
	for b.Loop() {
		if _, err := onMappedGraph(c, k, func(g *Graph) ([]Suspect, error) { return Analyze(g.Snapshot, AnalyzeOptions{Graph: g}), nil }); err != nil {
			b.Fatal(err)
		}
		n++
	}
	reportCPU(b, cpu0, n)
}
