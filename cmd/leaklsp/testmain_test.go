package main

import (
	"fmt"
	"os"
	"testing"
)

// TestMain lets a test re-execute this test binary as the leaklsp command
// (LEAKLSP_TEST_MAIN=1 and the command's arguments), so that tests can run
// the real process under limits no in-process call can have, e.g. an
// address-space rlimit (memlimit_linux_test.go).
func TestMain(m *testing.M) {
	switch os.Getenv("LEAKLSP_TEST_MAIN") {
	case "":
		// No test reads or writes the user's re-open index; the ones about
		// it set their own directory (reopen_test.go).
		os.Setenv("LEAKLSP_INDEX_DIR", "off")
		os.Exit(m.Run())
	case "1":
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	case "alloc": // control: a process that really needs more than the limit
		b := make([]byte, 1<<30)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		fmt.Println(len(b))
		os.Exit(0)
	}
	os.Exit(3)
}
