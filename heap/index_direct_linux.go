package heap

import (
	"os"
	"syscall"
)

// openDirect opens name for writes that bypass the page cache; nil when
// the file system refuses (tmpfs before Linux 6.6, some network ones).
func openDirect(name string) *os.File {
	f, err := os.OpenFile(name, os.O_WRONLY|syscall.O_DIRECT, 0)
	if err != nil {
		return nil
	}
	return f
}
