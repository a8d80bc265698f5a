package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// memLimit is the memory the command may commit while loading a hostile
// input: 512 MiB, enforced as RLIMIT_DATA, not RLIMIT_AS.
//
// RLIMIT_AS (prlimit --as) counts reserved address space, and no Go
// program starts under 512 MiB of it: on 64-bit Linux the runtime reserves
// (PROT_NONE, no memory used) 512 MiB of page-allocator summaries for the
// whole 48-bit address space plus the heap-arena index and arenas, ~766 MiB
// for `leaklsp version` with Go 1.26 ("fatal error: failed to reserve page
// summary memory" below that). Above it the outcome is not even monotonic:
// measured here, 768-1120 MiB start, 1152-1248 MiB fail, and at 1539 MiB a
// 4 MiB allocation failed in one run of six with 4 MiB in use. RLIMIT_DATA
// counts every private writable mapping (since Linux 4.7), that is what
// the Go heap commits, and not the reservations; the runtime starts in
// under 100 MiB of it, so 512 MiB is 512 MiB for the load.
const memLimit = 512 << 20

// Every fuzz-corpus file and a set of lying headers, loaded by the real
// command under an address-space limit, must give a clean result: exit 0
// or 1 for what loads, else exit 2 with "cannot load snapshot" — never Go's
// "fatal error: out of memory" and a stack trace. The lying headers must
// be exit 2.
func TestLoadUnderMemoryLimit(t *testing.T) {
	if _, err := exec.LookPath("prlimit"); err != nil {
		t.Skip("prlimit (util-linux) not installed")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := limited(self, "1", "version").CombinedOutput(); err != nil {
		t.Fatalf("leaklsp version does not run under a %d MiB RLIMIT_DATA: %v\n%s", memLimit>>20, err, out)
	}
	// The limit bites: a process that touches 1 GiB dies under it.
	if out, err := limited(self, "alloc").CombinedOutput(); err == nil {
		t.Fatalf("a 1 GiB allocation succeeded under a %d MiB limit: %s", memLimit>>20, out)
	}

	dir := t.TempDir()
	inputs := fuzzCorpus(t, dir)
	lying := lyingHeaders(t, dir)
	for _, p := range append(inputs, lying...) {
		mustFail := strings.HasPrefix(filepath.Base(p), "lying-")
		cmd := limited(self, "1", "check", "--no-static", "--exit-zero", "--snapshot", p, dir)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := cmd.ProcessState.ExitCode()
		errs := stderr.String()
		switch {
		case strings.Contains(errs, "fatal error") || strings.Contains(errs, "goroutine ") || strings.Contains(errs, "panic"):
			t.Errorf("%s: crashed under a %d MiB limit (exit %d):\n%.2000s", filepath.Base(p), memLimit>>20, code, errs)
		case code == 2 && strings.HasPrefix(errs, "leaklsp check: cannot load snapshot") && strings.Count(errs, "\n") == 1:
			// a clean, one-line error
		case code == 0 && !mustFail:
			// a corpus input that is a valid snapshot
		default:
			t.Errorf("%s: exit %d (%v), stderr %q", filepath.Base(p), code, err, errs)
		}
	}
	t.Logf("%d corpus files, %d lying headers", len(inputs), len(lying))
}

// limited runs this test binary as leaklsp (mode "1") or as a control
// ("alloc") under an RLIMIT_DATA of memLimit.
func limited(self, mode string, args ...string) *exec.Cmd {
	cmd := exec.Command("prlimit", append([]string{fmt.Sprintf("--data=%d", memLimit), "--", self}, args...)...)
	cmd.Env = append(os.Environ(), "LEAKLSP_TEST_MAIN="+mode, "GOTRACEBACK=single")
	return cmd
}

// fuzzCorpus decodes heap.FuzzLoad's committed corpus ("go test fuzz v1"
// files holding one []byte) into plain files.
func fuzzCorpus(t *testing.T, dir string) []string {
	t.Helper()
	src := filepath.Join("..", "..", "heap", "testdata", "fuzz", "FuzzLoad")
	ents, err := os.ReadDir(src)
	if err != nil || len(ents) == 0 {
		t.Fatalf("fuzz corpus %s: %v (%d files)", src, err, len(ents))
	}
	var out []string
	for _, e := range ents {
		raw, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		body, ok := strings.CutPrefix(string(raw), "go test fuzz v1\n[]byte(")
		body, ok2 := strings.CutSuffix(strings.TrimSpace(body), ")")
		data, err := strconv.Unquote(body)
		if !ok || !ok2 || err != nil {
			t.Fatalf("%s: not a one-[]byte corpus file: %v", e.Name(), err)
		}
		p := filepath.Join(dir, "corpus-"+e.Name())
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// lyingHeaders writes the tiny snapshot with counts that claim billions of
// records, plain and gzipped, and one gzip that inflates to 24 MB of valid
// node records under a header claiming 4e9 nodes (deflate's 1000:1 ratio:
// the file is tiny, what it holds is not).
func lyingHeaders(t *testing.T, dir string) []string {
	t.Helper()
	tiny, err := os.ReadFile(filepath.Join("..", "..", "heap", "testdata", "tiny.heapsnapshot"))
	if err != nil {
		t.Fatal(err)
	}
	lie := func(old, new string) []byte {
		if !bytes.Contains(tiny, []byte(old)) {
			t.Fatalf("tiny snapshot lacks %q", old)
		}
		return bytes.Replace(tiny, []byte(old), []byte(new), 1)
	}
	files := map[string][]byte{
		"nodes":           lie(`"node_count":6`, `"node_count":4000000000`),
		"edges":           lie(`"edge_count":7`, `"edge_count":4294967295`),
		"trace-functions": lie(`"trace_function_count":2`, `"trace_function_count":4294967295`),
	}
	var bomb bytes.Buffer
	bomb.Write(lie(`"node_count":6`, `"node_count":4000000000`)[:bytes.Index(tiny, []byte(`"nodes":[`))+len(`"node_count":4000000000`)-len(`"node_count":6`)])
	bomb.WriteString(`"nodes":[9,13,1,0,2,0`)
	bomb.WriteString(strings.Repeat(",9,1,3,0,0,0", 2<<20))
	bomb.WriteString("]}")
	files["bomb-24MB"] = bomb.Bytes()
	var out []string
	for name, data := range files {
		for _, gz := range []bool{false, true} {
			p := filepath.Join(dir, "lying-"+name+".heapsnapshot")
			if gz {
				var b bytes.Buffer
				zw := gzip.NewWriter(&b)
				zw.Write(data)
				zw.Close()
				data, p = b.Bytes(), p+".gz"
			} else if name == "bomb-24MB" {
				continue // only the gzip is small
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			out = append(out, p)
		}
	}
	return out
}
