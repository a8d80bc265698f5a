//go:build linux || darwin || freebsd || netbsd || openbsd

package jsscan

import (
	"os"
	"syscall"
)

// readSource reads a whole file with plain system calls: open, fstat,
// read, close. os.ReadFile also registers every file with the runtime's
// poller (an fcntl pair and an epoll_ctl that fails for regular files),
// which doubled the system calls of a tree of small files. The buffer has
// a spare byte of capacity for the parser's sentinel (see ownSource).
func readSource(path string) ([]byte, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	for err == syscall.EINTR {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &os.PathError{Op: "fstat", Path: path, Err: err}
	}
	b := make([]byte, 0, st.Size+1)
	for {
		if len(b) == cap(b) { // the file grew since fstat
			b = append(b, 0)[:len(b)]
		}
		n, err := syscall.Read(fd, b[len(b):cap(b)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return b, nil
		}
		b = b[:len(b)+n]
	}
}
