package heap

import (
	"unsafe"

	"github.com/leaklsp/leaklsp/internal/hugepage"
)

// hugeMin is the allocation size from which columns ask for transparent
// huge pages. Faulting in fresh memory 4 KiB at a time dominated load and
// graph time on multi-GB snapshots (a measured 4.4 s to first-touch 342 MB
// on the 2-core benchmark VM, 1.2 s with huge pages). From 4 MiB a column
// holds at least one aligned 2 MiB page; on a 118 MB snapshot (columns of
// 5-20 MB) this took the DFS from 0.12 to 0.06 s and the whole run from
// 1.22-1.32 to 1.04-1.10 s, against a 16 MiB threshold.
const hugeMin = 4 << 20

// makeColumn allocates a column of length n and capacity c, backed by
// huge pages when it is big. A big column starts on a 2 MiB boundary, so
// that only its last partial 2 MiB goes in 4 KiB pages: Go aligns large
// objects to 8 KiB, which left ~1 MiB of 4 KiB faults at each end of
// every column (on this project's VMs 25-70 µs each, a fifth of the
// faults of a 118 MB snapshot's run). The padding this takes, under 2 MiB
// of address space per column, is never touched: its pages are given
// back if the allocator zeroed them.
func makeColumn[T any](n, c int) []T {
	var zero T
	elem := unsafe.Sizeof(zero)
	size := uintptr(c) * elem
	if c == 0 || size < hugeMin || elem == 0 || hugePage%elem != 0 || pageAlign%elem != 0 {
		return make([]T, n, c)
	}
	raw := make([]T, 0, c+int(hugePage/elem))
	base := uintptr(unsafe.Pointer(unsafe.SliceData(raw)))
	skip := (base+hugePage-1)&^(hugePage-1) - base // a multiple of the allocator's alignment
	if skip%elem != 0 {
		return make([]T, n, c)
	}
	start := int(skip / elem)
	discard(raw[:start])
	discard(raw[start+c : cap(raw)])
	hugepage.Advise(unsafe.Pointer(unsafe.SliceData(raw[start:start])), size)
	return raw[start : start+n : start+c]
}

// discard gives the whole pages under s's elements back to the kernel
// (hugepage.Discard): they leave the resident set and read as zeros if
// touched again. For parts of a live allocation that the Go runtime
// cannot free on its own.
func discard[T any](s []T) {
	if len(s) == 0 {
		return
	}
	var zero T
	hugepage.Discard(unsafe.Pointer(unsafe.SliceData(s)), uintptr(len(s))*unsafe.Sizeof(zero))
}

// Sizes makeColumn aligns with: a huge page, and the Go allocator's
// alignment of large objects.
const (
	hugePage  = 2 << 20
	pageAlign = 8 << 10
)
