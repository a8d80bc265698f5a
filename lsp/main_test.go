package lsp

import (
	"os"
	"testing"
)

// TestMain keeps the tests off the user's re-open index: a load served
// from it would be instant, which the cancel and supersede tests must not
// be. The tests about the index give the server their own (reopen_test.go).
func TestMain(m *testing.M) {
	os.Setenv("LEAKLSP_INDEX_DIR", "off")
	os.Exit(m.Run())
}
