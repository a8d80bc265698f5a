package heap

import (
	"syscall"
	"unsafe"
)

// adviseHuge marks the 2 MiB-aligned interior of [p, p+size) MADV_HUGEPAGE.
// The Go runtime no longer does this itself; on kernels with THP in
// "madvise" mode it turns ~500 page faults per 2 MiB into one. It is only
// advice: errors are ignored, and memory the runtime already touched is
// unaffected.
func adviseHuge(p unsafe.Pointer, size uintptr) {
	const huge = 2 << 20
	start := (uintptr(p) + huge - 1) &^ (huge - 1)
	end := (uintptr(p) + size) &^ (huge - 1)
	if end <= start {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Add(p, start-uintptr(p))), end-start)
	_ = syscall.Madvise(b, 14 /* MADV_HUGEPAGE */)
}
