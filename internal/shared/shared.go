// Package shared locates the heap-snapshot fixtures the tests share:
// testdata/fixtures/heap at the repository root (real node snapshots with
// their generator programs and a ground-truth manifest).
package shared

import (
	"os"
	"path/filepath"
	"testing"
)

// HeapFixtures returns the absolute path of the heap fixtures (the
// directory holding manifest.json), failing the test when it is missing.
// It works from any package directory: it walks up to go.mod first.
func HeapFixtures(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("shared: no go.mod above the test's directory")
		}
		dir = parent
	}
	heap := filepath.Join(dir, "testdata", "fixtures", "heap")
	if _, err := os.Stat(filepath.Join(heap, "manifest.json")); err != nil {
		t.Fatalf("heap fixtures missing: %v", err)
	}
	return heap
}
