//go:build !linux

// Package hugepage tells Linux how the pages of big columns are used;
// elsewhere it does nothing.
package hugepage

import "unsafe"

// Advise does nothing off Linux.
func Advise(unsafe.Pointer, uintptr) {}

// Discard does nothing off Linux.
func Discard(unsafe.Pointer, uintptr) {}

// Populate does nothing off Linux.
func Populate(unsafe.Pointer, uintptr) {}
