package main

import (
	"io"
	"os"
)

// isTerminal reports whether w is a character device (an interactive
// terminal, not a pipe or a CI log); it only decides whether progress is
// drawn, so /dev/null counting as one costs nothing.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// stdinIsTerminal reports whether r is a terminal a person types into: bare
// `leaklsp` then prints its usage instead of waiting for LSP messages that
// will never come. Unlike isTerminal, /dev/null is not one (a pipe or
// /dev/null on stdin means an editor or a script started the server).
func stdinIsTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && isTTY(f)
}
