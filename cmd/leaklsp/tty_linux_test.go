package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY returns the terminal end of a new pseudo-terminal: what stdin is
// when a person types `leaklsp` in a shell.
func openPTY(t *testing.T) *os.File {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	return tty
}

// Bare `leaklsp` on a terminal prints the usage and exits 2 at once instead
// of waiting for LSP messages; on a pipe it serves (TestBareServesPipe).
func TestBareTerminalPrintsUsage(t *testing.T) {
	tty := openPTY(t)
	if !stdinIsTerminal(tty) {
		t.Fatal("a pty is not recognised as a terminal")
	}
	var out, errb strings.Builder
	code := run(nil, tty, &out, &errb)
	if code != 2 || !strings.Contains(errb.String(), "leaklsp check [flags]") || out.String() != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if stdinIsTerminal(null) {
		t.Error("/dev/null counted as a terminal: `leaklsp </dev/null` would print usage instead of serving")
	}
}
