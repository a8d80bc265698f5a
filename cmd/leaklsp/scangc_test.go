package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

// The scan's collector settings apply during the scan only, and not at
// all when the user set GOGC or GOMEMLIMIT.
func TestTuneGCForScan(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	pct := debug.SetGCPercent(100)
	defer debug.SetGCPercent(pct)
	// What other tests of this process left live counts until the next
	// collection; above scanHeadroom, tuneGCForScan rightly does nothing.
	runtime.GC()
	restore := tuneGCForScan()
	if got := debug.SetGCPercent(scanGCPercent); got != scanGCPercent {
		t.Errorf("during the scan GOGC=%d, want %d", got, scanGCPercent)
	}
	if lim := debug.SetMemoryLimit(-1); lim == math.MaxInt64 || lim < scanHeadroom {
		t.Errorf("during the scan the memory limit is %d, want at least %d", lim, scanHeadroom)
	}
	restore()
	if got := debug.SetGCPercent(-1); got != 100 {
		t.Errorf("after the scan GOGC=%d, want 100 back", got)
	}
	debug.SetGCPercent(100)
	if lim := debug.SetMemoryLimit(-1); lim != math.MaxInt64 {
		t.Errorf("after the scan the memory limit is %d, want none", lim)
	}

	t.Setenv("GOGC", "50")
	restore = tuneGCForScan()
	if got := debug.SetGCPercent(-1); got != 100 {
		t.Errorf("with GOGC set, GOGC=%d during the scan, want it untouched (100)", got)
	}
	debug.SetGCPercent(100)
	restore()
}
