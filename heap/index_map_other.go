//go:build !unix

package heap

import (
	"fmt"
	"io"
	"os"
)

// mapFile reads the first size bytes of f into memory where memory
// mapping is not wired up (Windows, wasm): re-open then costs a read of
// the index, still far less than parsing the snapshot. The buffer is
// []uint64-backed so that every section is aligned for its element type.
func mapFile(f *os.File, size int64) ([]byte, func() error, error) {
	if size <= 0 || int64(int(size)) != size {
		return nil, nil, fmt.Errorf("%w: cannot read %d bytes", errIndexInvalid, size)
	}
	words := make([]uint64, (size+7)/8)
	b := bytesOf(words)[:size]
	if _, err := io.ReadFull(io.NewSectionReader(f, 0, size), b); err != nil {
		return nil, nil, err
	}
	return b, func() error { return nil }, nil
}
