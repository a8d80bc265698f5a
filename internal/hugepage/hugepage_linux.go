// Package hugepage tells Linux how the pages of big columns are used: huge
// pages for fresh memory (Advise), faulted in ahead of the code that fills
// them (Populate), and no pages at all for the tail a column gave up
// (Discard). On this project's VMs a fresh 4 KiB page costs
// ~20 µs to fault in; with THP in "madvise" mode one 2 MiB page replaces
// ~500 such faults. The Go runtime no longer advises its heap itself.
package hugepage

import (
	"syscall"
	"unsafe"
)

// Advise marks the 2 MiB-aligned interior of [p, p+size) MADV_HUGEPAGE.
// It is only advice: errors are ignored, and memory already touched is
// unaffected.
func Advise(p unsafe.Pointer, size uintptr) {
	madvise(p, size, 2<<20, 14 /* MADV_HUGEPAGE */)
}

// Discard gives the whole pages inside [p, p+size) back to the kernel
// (MADV_DONTNEED): they leave the resident set at once and read as zeros
// if touched again. For the unused tail of a live allocation that the Go
// runtime cannot shrink; errors are ignored.
func Discard(p unsafe.Pointer, size uintptr) {
	madvise(p, size, 4<<10, syscall.MADV_DONTNEED)
}

// madvise applies advice to the whole aligned units of unit bytes inside
// [p, p+size), if any.
func madvise(p unsafe.Pointer, size, unit uintptr, advice int) {
	start := (uintptr(p) + unit - 1) &^ (unit - 1)
	end := (uintptr(p) + size) &^ (unit - 1)
	if end <= start {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Add(p, start-uintptr(p))), end-start)
	_ = syscall.Madvise(b, advice)
}

// Populate faults in the whole pages of [p, p+size) writable without
// writing to them (MADV_POPULATE_WRITE, Linux 5.14+; older kernels refuse
// it, which is ignored). Run on its own goroutine, it moves the kernel's
// clearing of fresh pages off the goroutine about to fill them. Contents
// are untouched, so it may run while the range is being written.
func Populate(p unsafe.Pointer, size uintptr) {
	madvise(p, size, 4<<10, 23 /* MADV_POPULATE_WRITE */)
}
