package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's first command prints what the README says it prints: the
// bundled example snapshot (taken with the service deployed at /srv/app)
// mapped back to examples/leaky-service with --map.
func TestReadmeFirstCommand(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	cmd := between(t, text, "```sh\n", "\n")
	args, ok := strings.CutPrefix(cmd, "go run ./cmd/leaklsp ")
	if !ok {
		t.Fatalf("README's first command is %q, not go run ./cmd/leaklsp …", cmd)
	}
	want := between(t, text[strings.Index(text, "The first command prints"):], "```text\n", "```")
	t.Chdir(filepath.Join("..", "..")) // the README's commands run at the repository root
	code, out, errs := runCLI(t, strings.Fields(args)...)
	if code != 0 || out != want {
		t.Errorf("exit %d, stderr %q; README says:\n%s\nthe command prints:\n%s", code, errs, want, out)
	}
	if !strings.Contains(args, "--map /srv/app=examples/leaky-service") {
		t.Errorf("the first command does not show --map: %q", args)
	}
}

// between returns the text after the first start and before the next end.
func between(t *testing.T, s, start, end string) string {
	t.Helper()
	_, after, ok := strings.Cut(s, start)
	if !ok {
		t.Fatalf("README has no %q", start)
	}
	in, _, ok := strings.Cut(after, end)
	if !ok {
		t.Fatalf("README has no %q after %q", end, start)
	}
	return in
}
