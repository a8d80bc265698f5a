//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd

package main

import "os"

// isTTY falls back to the file mode: a console is a character device, a
// pipe is not.
func isTTY(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
