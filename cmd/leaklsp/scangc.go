package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"unsafe"

	"github.com/leaklsp/leaklsp/internal/hugepage"
)

// The static scan allocates a syntax tree per file and drops it: garbage
// at a steady rate over a small live heap (a few MB, ~200 MB while a 9 MB
// compiler bundle is scanned). The default GOGC=100 collects every few MB
// of that garbage, and lets the heap reach twice its peak live size: 380-
// 470 MB on the corpus of bench/jsscan-corpus.sh, every page of it a
// fresh page fault. During the scan, check collects less often (GOGC=200)
// but within scanHeadroom of what was live before the scan (the heap
// analysis may still hold its snapshot). The headroom is what the largest
// bundle needs: typescript.js keeps ~190 MB live while it is scanned, and
// with less room above that the collector runs again and again over it.
// Measured on that corpus (four runs each, interleaved, load 5-6): user
// CPU 3.57-3.90 s with 320 MiB, 3.95-4.86 s with 256 MiB; peak RSS
// 299-324 MB and 264-269 MB. On Linux the scan's heap also gets huge
// pages (adviseScanHeap).
const (
	scanGCPercent = 200
	scanHeadroom  = 320 << 20
)

// tuneGCForScan applies those settings and returns what restores the
// previous ones. GOGC or GOMEMLIMIT in the environment win: it changes
// nothing then. Nor does it when the heap analysis still holds a big
// snapshot (check --snapshot writes its re-open index during the scan):
// a limit just above that heap would make every collection of the scan
// mark the whole snapshot, while GOGC=100 already leaves the scan as much
// room as the snapshot takes.
func tuneGCForScan() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	live := int64(0)
	if sample[0].Value.Kind() == metrics.KindUint64 {
		live = int64(sample[0].Value.Uint64())
	}
	if live > scanHeadroom {
		return func() {}
	}
	pct := debug.SetGCPercent(scanGCPercent)
	limit := debug.SetMemoryLimit(live + scanHeadroom)
	adviseScanHeap()
	return func() {
		debug.SetGCPercent(pct)
		debug.SetMemoryLimit(limit)
	}
}

// adviseScanHeap asks for transparent huge pages on the memory the scan's
// heap will use. On the benchmark VM a fresh 4 KiB page costs ~20 µs of
// CPU to fault in (touching 256 MiB: 1.1-1.4 s with 4 KiB pages, 0.4-0.8 s
// with 2 MiB ones), and the scan faults in its whole heap: ~80,000 faults
// on the bench corpus. A scanHeadroom-sized block is allocated (fresh
// memory, never touched), its range advised MADV_HUGEPAGE, and dropped:
// the runtime hands those pages to the scan's objects, and the advice
// stays on the range (the runtime returns unused pages with madvise, it
// does not remap them). Measured: 3,500-23,000 faults instead of 68,000-
// 87,000, the same peak RSS, CPU 5.9-6.5 s instead of 6.6-6.9 s (best
// three of five, load 9-11). It is only advice: on kernels without THP
// in "madvise" or "always" mode, and off Linux, nothing changes
// (hugepage.Advise does nothing there).
func adviseScanHeap() {
	b := make([]byte, scanHeadroom)
	hugepage.Advise(unsafe.Pointer(unsafe.SliceData(b)), uintptr(len(b)))
	runtime.KeepAlive(b)
}
