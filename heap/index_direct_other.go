//go:build !linux

package heap

import "os"

// openDirect: direct I/O is only wired up on Linux; elsewhere the index
// goes through the page cache.
func openDirect(string) *os.File { return nil }
