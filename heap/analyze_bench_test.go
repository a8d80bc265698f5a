package heap

import (
	"path/filepath"
	"testing"
)

// BenchmarkAnalyze runs every detector on the largest shared fixture, once
// with the graph prebuilt (detectors only) and once including NewGraph.
func BenchmarkAnalyze(b *testing.B) {
	dir := fixturesDir(b)
	var m struct {
		Snapshots []struct {
			File string `json:"file"`
			Size int64  `json:"uncompressed_size_bytes"`
		} `json:"snapshots"`
	}
	readJSON(b, filepath.Join(dir, "manifest.json"), &m)
	largest, size := "", int64(0)
	for _, s := range m.Snapshots {
		if s.Size > size {
			largest, size = s.File, s.Size
		}
	}
	s := openSnapshot(b, filepath.Join(dir, largest))
	b.Logf("%s: %d nodes, %d edges", largest, s.NodeCount(), s.EdgeCount())
	b.Run("detectors", func(b *testing.B) {
		g := NewGraph(s)
		b.ReportAllocs()
		for b.Loop() {
			Analyze(s, AnalyzeOptions{Graph: g})
		}
	})
	b.Run("with-graph", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Analyze(s, AnalyzeOptions{})
		}
	})
}
