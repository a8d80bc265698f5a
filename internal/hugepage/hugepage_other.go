//go:build !linux

// Package hugepage asks Linux for transparent huge pages; elsewhere it
// does nothing.
package hugepage

import "unsafe"

// Advise does nothing off Linux.
func Advise(unsafe.Pointer, uintptr) {}
