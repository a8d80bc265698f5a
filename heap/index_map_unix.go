//go:build unix

package heap

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// mapFile maps the first size bytes of f read-only. Pages load when first
// touched and stay in the page cache, shared with every other process
// that maps the same index. Read-only: a column written in place by
// mistake faults instead of changing the file, and a fault is a panic the
// caller recovers (debug.SetPanicOnFault, see openMappedGraph).
func mapFile(f *os.File, size int64) ([]byte, func() error, error) {
	if size <= 0 || int64(int(size)) != size {
		return nil, nil, fmt.Errorf("%w: cannot map %d bytes", errIndexInvalid, size)
	}
	b, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return b, func() error { return unix.Munmap(b) }, nil
}
