//go:build !linux

package main

// adviseScanHeap: huge pages are advised on Linux only.
func adviseScanHeap() {}
