package heap

import (
	"path/filepath"
	"testing"
	"time"
)

func TestZZNewDetectorCost(t *testing.T) {
	dir := fixturesDir(t)
	s := openSnapshot(t, filepath.Join(dir, "snapshots/e-ts-awaiter.tracked.heapsnapshot.gz"))
	g := NewGraph(s)
	p := newPass(g, AnalyzeOptions{})
	for name, f := range map[string]func(){
		"version":     func() { SnapshotNodeVersion(s) },
		"promises":    func() { runPromiseChains(p) },
		"server":      func() { runServerNotClosed(p) },
		"protousers":  func() { runPrototypeUsers(p) },
		"analyze-all": func() { Analyze(s, AnalyzeOptions{Graph: g}) },
	} {
		t0 := time.Now()
		for range 5 {
			f()
		}
		t.Logf("%s: %v per run (%d nodes)", name, time.Since(t0)/5, s.NodeCount())
	}
}
