//go:build !linux

package heap

import "unsafe"

func adviseHuge(unsafe.Pointer, uintptr) {}
