package jsscan

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/leaklsp/leaklsp/sourcemap"
)

// The TypeScript source whose lowered output the tests scan; the line of
// its `await next.run()` is the ground truth for the recursion finding.
const loweredSrc = "testdata/recursive-await/worker.ts"

func recursionSite(t *testing.T) (line, col int) {
	t.Helper()
	b, err := os.ReadFile(loweredSrc)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if k := strings.Index(l, "await next.run()"); k >= 0 {
			return i, k + len("await ")
		}
	}
	t.Fatal("no `await next.run()` in " + loweredSrc)
	return 0, 0
}

// TestTSCOutput compiles TypeScript with the real tsc (LEAKLSP_TSC, set by
// scripts/setup-tsc.sh) for es2015 (__awaiter + function*) and es5
// (__awaiter + __generator) and checks that the rules find the helper and
// the recursion, and that the recursion maps back to the TS call.
func TestTSCOutput(t *testing.T) {
	tsc := os.Getenv("LEAKLSP_TSC")
	if tsc == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("LEAKLSP_TSC is not set in CI: scripts/test.sh must source scripts/setup-tsc.sh")
		}
		t.Skip("LEAKLSP_TSC is not set: run `source scripts/setup-tsc.sh` (CI always does)")
	}
	line, col := recursionSite(t)
	for _, target := range []string{"es2015", "es5"} {
		t.Run(target, func(t *testing.T) {
			out := t.TempDir()
			cmd := exec.Command(tsc, "--target", target, "--lib", "es2015", "--module", "commonjs",
				"--sourceMap", "--outDir", out, loweredSrc)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("tsc (LEAKLSP_TSC=%s) failed: %v\n%s", tsc, err, b)
			}
			js := filepath.Join(out, "worker.js")
			src, err := os.ReadFile(js)
			if err != nil {
				t.Fatal(err)
			}
			mapData, err := os.ReadFile(js + ".map")
			if err != nil {
				t.Fatal(err)
			}
			sm, err := sourcemap.Parse(mapData)
			if err != nil {
				t.Fatal(err)
			}
			fs := Scan(js, src)
			// es2015 runs __awaiter over a native generator (LEAK004);
			// es5 over a __generator state machine, which is not the leak.
			want := map[string]int{"es2015": 1, "es5": 0}[target]
			if n := count(fs, CodeDownlevelAsync); n != want {
				t.Errorf("want %d LEAK004 for the __awaiter helper, got %d: %+v", want, n, fs)
			}
			found := false
			for _, f := range fs {
				if f.Code != CodeRecursiveAwait {
					continue
				}
				_, l, c, ok := sm.Lookup(f.Range.Start.Line, f.Range.Start.Column)
				if ok && l == line && c == col {
					found = true
				} else {
					t.Errorf("LEAK003 at %d:%d maps to %d:%d, want %d:%d", f.Range.Start.Line+1, f.Range.Start.Column+1, l+1, c+1, line+1, col+1)
				}
			}
			if !found {
				t.Errorf("no LEAK003 for the recursion in tsc --target %s output: %+v", target, fs)
			}
		})
	}
}

// TestEsbuildES2015Output lowers the same source with esbuild's own
// generator helper (__async) and scans the output as JavaScript.
func TestEsbuildES2015Output(t *testing.T) {
	b, err := os.ReadFile(loweredSrc)
	if err != nil {
		t.Fatal(err)
	}
	r := api.Transform(string(b), api.TransformOptions{Loader: api.LoaderTS, Target: api.ES2015})
	if len(r.Errors) > 0 {
		t.Fatal(r.Errors[0].Text)
	}
	fs := Scan("worker.js", r.Code)
	if count(fs, CodeDownlevelAsync) != 1 {
		t.Errorf("want one LEAK004 for __async: %+v", fs)
	}
	rec := 0
	for _, f := range fs {
		if f.Code == CodeRecursiveAwait {
			rec++
			if got := string(r.Code[f.Range.Start.Offset:f.Range.End.Offset]); got != "next.run" {
				t.Errorf("LEAK003 covers %q, want next.run", got)
			}
		}
	}
	if rec != 1 {
		t.Errorf("want one LEAK003 in esbuild's __async output, got %d: %+v\n%s", rec, fs, r.Code)
	}
}
