package inspector

import (
	"path/filepath"
	"testing"
)

// leakScript is the leaking service the capture tests run.
func leakScript(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", "timers-als.js"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
