package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leaklsp/leaklsp/internal/shared"
	"go.lsp.dev/jsonrpc2"
)

// groundTruth returns the 1-based lines the manifest gives for a snapshot's
// leaked/retainer groups: allocation sites, enclosing functions and
// TypeScript source sites, by file.
func groundTruth(t *testing.T, fx, snapshot string) (leaks bool, lines map[string][]int) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fx, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	type site struct {
		File string
		Line int
	}
	var m struct {
		Snapshots []struct {
			File        string
			GroundTruth struct {
				Leaks  bool
				Groups []struct {
					Role                                  string
					AllocationSite, EnclosingFunc, Source *site
				}
			} `json:"ground_truth"`
		}
	}
	// encoding/json matches field names case-insensitively, not through
	// underscores; map the snake_case keys first.
	norm := strings.NewReplacer(`"allocation_site"`, `"AllocationSite"`, `"enclosing_function"`, `"EnclosingFunc"`, `"source_site"`, `"Source"`).Replace(string(raw))
	if err := json.Unmarshal([]byte(norm), &m); err != nil {
		t.Fatal(err)
	}
	lines = map[string][]int{}
	for _, s := range m.Snapshots {
		if s.File != snapshot {
			continue
		}
		for _, g := range s.GroundTruth.Groups {
			if g.Role != "leaked" && g.Role != "retainer" {
				continue
			}
			for _, st := range []*site{g.AllocationSite, g.EnclosingFunc, g.Source} {
				if st != nil {
					lines[st.File] = append(lines[st.File], st.Line)
				}
			}
		}
		return s.GroundTruth.Leaks, lines
	}
	t.Fatalf("%s not in manifest", snapshot)
	return false, nil
}

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

var lineRE = regexp.MustCompile(`(?m)^(\S+):(\d+):(\d+): (LEAK\d{3}) `)

type textDiag struct {
	file string
	line int
	code string
}

func parseText(out string) []textDiag {
	var ds []textDiag
	for _, m := range lineRE.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[2])
		ds = append(ds, textDiag{m[1], n, m[4]})
	}
	return ds
}

// Each leaking fixture reports its heap code on a ground-truth line of the
// right file: a-timers-als.js:30 (LEAK101), c-async-recursion.js:19/22
// (LEAK103), and e-ts-awaiter through worker.js.map in worker.ts (LEAK104).
func TestCheckFixtureSnapshots(t *testing.T) {
	fx := fixtures(t)
	cases := []struct {
		snapshot, code, file string
	}{
		{"snapshots/a-timers-als.heapsnapshot.gz", "LEAK101", "a-timers-als.js"},
		{"snapshots/c-async-recursion.heapsnapshot.gz", "LEAK103", "c-async-recursion.js"},
		{"snapshots/e-ts-awaiter.heapsnapshot.gz", "LEAK104", "e-ts-awaiter/worker.ts"},
	}
	for _, tc := range cases {
		t.Run(filepath.Base(tc.snapshot), func(t *testing.T) {
			leaks, truth := groundTruth(t, fx, tc.snapshot)
			if !leaks || len(truth[tc.file]) == 0 {
				t.Fatalf("manifest has no leak sites in %s", tc.file)
			}
			code, out, errs := runCLI(t, "check", "--no-static", "--snapshot", filepath.Join(fx, tc.snapshot), fx)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr: %s", code, errs)
			}
			var found bool
			for _, d := range parseText(out) {
				if d.code == tc.code && d.file == tc.file && containsInt(truth[tc.file], d.line) {
					found = true
				}
			}
			if !found {
				t.Fatalf("no %s at %s:%v in:\n%s", tc.code, tc.file, truth[tc.file], out)
			}
		})
	}
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// The control snapshot has none of the a/c/e leaks.
func TestCheckControl(t *testing.T) {
	fx := fixtures(t)
	leaks, _ := groundTruth(t, fx, "snapshots/g-control.heapsnapshot.gz")
	if leaks {
		t.Fatal("manifest says g-control leaks")
	}
	_, out, errs := runCLI(t, "check", "--no-static", "--format", "json", "--snapshot", filepath.Join(fx, "snapshots", "g-control.heapsnapshot.gz"), fx)
	var res struct {
		Diagnostics []struct{ Path, Code string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("json: %v\n%s\n%s", err, out, errs)
	}
	for _, d := range res.Diagnostics {
		switch d.Code {
		case "LEAK101", "LEAK103", "LEAK104":
			t.Errorf("control reports %s at %s", d.Code, d.Path)
		}
	}
}

func TestCheckBadSnapshot(t *testing.T) {
	fx := fixtures(t)
	raw, err := os.ReadFile(filepath.Join(fx, "snapshots", "a-timers-als.heapsnapshot.gz"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cut := filepath.Join(dir, "cut.heapsnapshot.gz")
	junk := filepath.Join(dir, "junk.heapsnapshot")
	_ = os.WriteFile(cut, raw[:len(raw)/2], 0o644)
	_ = os.WriteFile(junk, []byte(`{"snapshot":{"meta":`), 0o644)
	random := filepath.Join(dir, "random.heapsnapshot")
	_ = os.WriteFile(random, []byte("8\x9f\x13\x00\xfe\x01 not json"), 0o644)
	for _, p := range []string{cut, junk, random, filepath.Join(dir, "missing.heapsnapshot")} {
		code, out, errs := runCLI(t, "check", "--no-static", "--snapshot", p, dir)
		if code != 2 || !strings.Contains(errs, "cannot load snapshot") || !strings.Contains(errs, filepath.Base(p)) || out != "" {
			t.Errorf("%s: exit %d, stderr %q, stdout %q", filepath.Base(p), code, errs, out)
		}
	}
	// Random bytes are "not a heap snapshot", not a parser's expectation.
	if _, _, errs := runCLI(t, "check", "--no-static", "--snapshot", random, dir); !strings.Contains(errs, "not a heap snapshot") || strings.Contains(errs, "expected") {
		t.Errorf("random bytes: stderr %q", errs)
	}
	// A bad baseline is reported as the baseline, the good target untouched.
	good := filepath.Join(fx, "snapshots", "a-timers-als.heapsnapshot.gz")
	for _, p := range []string{junk, filepath.Join(dir, "missing.heapsnapshot")} {
		code, out, errs := runCLI(t, "check", "--no-static", "--snapshot", good, "--baseline", p, dir)
		if code != 2 || !strings.HasPrefix(errs, "leaklsp check: cannot load baseline snapshot") || !strings.Contains(errs, filepath.Base(p)) || out != "" {
			t.Errorf("baseline %s: exit %d, stderr %q, stdout %q", filepath.Base(p), code, errs, out)
		}
	}
}

// --map beats the suffix match: the mapped copy wins over a deeper one.
func TestCheckPathMapping(t *testing.T) {
	fx := fixtures(t)
	src, err := os.ReadFile(filepath.Join(fx, "a-timers-als.js"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for _, p := range []string{"lib/a-timers-als.js", "other/heap/a-timers-als.js"} {
		_ = os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755)
		_ = os.WriteFile(filepath.Join(root, p), src, 0o644)
	}
	snap := filepath.Join(fx, "snapshots", "a-timers-als.heapsnapshot.gz")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "other/heap/a-timers-als.js:30:"},
		{[]string{"--map", "/srv/app/heap=lib"}, "lib/a-timers-als.js:30:"},
		{[]string{"--map", "/srv/app=" + filepath.Join(root, "lib", "..", "other")}, "other/heap/a-timers-als.js:30:"},
	} {
		args := append([]string{"check", "--no-static", "--snapshot", snap}, tc.args...)
		_, out, errs := runCLI(t, append(args, root)...)
		if !strings.Contains(out, tc.want) {
			t.Errorf("%v: want %q in:\n%s%s", tc.args, tc.want, out, errs)
		}
	}
}

// SARIF URIs are relative to the repository root, where code scanning
// resolves them: `check --format sarif src` gives src/a-timers-als.js in a
// git checkout (from any working directory) and, outside git, relative to
// the working directory; SRCROOT in originalUriBaseIds says which.
func TestCheckSARIF(t *testing.T) {
	fx := fixtures(t)
	src, err := os.ReadFile(filepath.Join(fx, "a-timers-als.js"))
	if err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(fx, "snapshots", "a-timers-als.heapsnapshot.gz")
	layout := func(git bool) string {
		root := t.TempDir()
		_ = os.MkdirAll(filepath.Join(root, "src"), 0o755)
		_ = os.WriteFile(filepath.Join(root, "src", "a-timers-als.js"), src, 0o644)
		if git {
			_ = os.Mkdir(filepath.Join(root, ".git"), 0o755)
		}
		return root
	}
	repo, plain := layout(true), layout(false)
	for _, tc := range []struct {
		name, cwd, path, root string
	}{
		{"git checkout, run from elsewhere", "", filepath.Join(repo, "src"), repo},
		{"no git, run from the root", plain, "src", plain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.cwd != "" {
				t.Chdir(tc.cwd)
			}
			code, out, errs := runCLI(t, "check", "--no-static", "--format", "sarif", "--snapshot", snap, "--map", "/srv/app/heap="+tc.path, tc.path)
			if code != 1 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			checkSARIF(t, out, "src/a-timers-als.js", 30, "file://"+filepath.ToSlash(tc.root)+"/")
		})
	}
}

// checkSARIF wants a LEAK101 error at uri:line relative to SRCROOT = base.
func checkSARIF(t *testing.T, out, uri string, line int, base string) {
	t.Helper()
	var log struct {
		Version string
		Runs    []struct {
			Tool               struct{ Driver struct{ Name string } }
			OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
			Results            []struct {
				RuleID    string
				Level     string
				Locations []struct {
					PhysicalLocation *struct {
						ArtifactLocation struct {
							URI       string
							URIBaseID string `json:"uriBaseId"`
						}
						Region struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "leaklsp" {
		t.Fatalf("sarif header: %+v", log)
	}
	if got := log.Runs[0].OriginalURIBaseIDs["SRCROOT"].URI; got != base {
		t.Errorf("SRCROOT %q, want %q", got, base)
	}
	for _, r := range log.Runs[0].Results {
		for _, l := range r.Locations {
			if p := l.PhysicalLocation; r.RuleID == "LEAK101" && r.Level == "error" && p != nil &&
				p.ArtifactLocation.URI == uri && p.ArtifactLocation.URIBaseID == "SRCROOT" && p.Region.StartLine == line {
				return
			}
		}
	}
	t.Fatalf("no LEAK101 error at %s:%d in SARIF:\n%s", uri, line, out)
}

func TestCLIUsage(t *testing.T) {
	if code, out, _ := runCLI(t, "version"); code != 0 || !strings.HasPrefix(out, "leaklsp ") {
		t.Errorf("version: %d %q", code, out)
	}
	for _, h := range []string{"help", "-h", "--help"} {
		if code, out, _ := runCLI(t, h); code != 0 || !strings.Contains(out, "leaklsp check") {
			t.Errorf("%s: %d %q", h, code, out)
		}
	}
	if code, _, errs := runCLI(t, "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown command: %d %q", code, errs)
	}
	for _, args := range [][]string{
		{"check", "--format", "xml", "."},
		{"check", "--map", "nope", "."},
		{"check", "--baseline", "b.heapsnapshot", "."},
		{"check", "--no-static", "--fix", "--snapshot", "s.heapsnapshot", "."},
		{"check", "/does/not/exist"},
	} {
		if code, _, errs := runCLI(t, args...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
	for _, h := range []string{"-h", "--help", "-help"} {
		// Asked-for help is output: stdout, exit 0, nothing on stderr.
		code, out, errs := runCLI(t, "check", h)
		if code != 0 || errs != "" || !strings.Contains(out, "Usage: leaklsp check") || !strings.Contains(out, "-snapshot FILE") {
			t.Errorf("check %s: exit %d, stdout %q, stderr %q", h, code, out, errs)
		}
	}
	// A wrong flag is an error: stderr names it and points at -h.
	if code, out, errs := runCLI(t, "check", "--frob"); code != 2 || out != "" ||
		!strings.Contains(errs, "flag provided but not defined: -frob") || !strings.Contains(errs, `"leaklsp check -h"`) {
		t.Errorf("check --frob: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	// --no-static with nothing to load has nothing to check: an error, not
	// a silent success.
	if code, out, errs := runCLI(t, "check", "--no-static", t.TempDir()); code != 2 || out != "" || !strings.Contains(errs, "--no-static needs --snapshot") {
		t.Errorf("check --no-static without --snapshot: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// Bare `leaklsp` with a pipe on stdin (how editors start it) is the server.
func TestBareServesPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	outR, outW := io.Pipe()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run(nil, r, outW, &errb); outW.Close() }()
	msg := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`
	fmt.Fprintf(w, "Content-Length: %d\r\n\r\n%s", len(msg), msg)
	got := make(chan string, 1)
	go func() {
		buf := make([]byte, 64<<10)
		n, _ := io.ReadAtLeast(outR, buf, 100)
		got <- string(buf[:n])
		io.Copy(io.Discard, outR)
	}()
	select {
	case out := <-got:
		if !strings.Contains(out, `"serverInfo"`) {
			t.Fatalf("no initialize result on stdout: %q (stderr %q)", out, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no answer to initialize")
	}
	w.Close() // the editor went away: the server ends
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not end when stdin closed")
	}
}

// An empty directory: nothing found, exit 0.
func TestCheckClean(t *testing.T) {
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "ok.js"), []byte("export const x = 1;\n"), 0o644)
	if code, out, errs := runCLI(t, "check", dir); code != 0 || out != "" {
		t.Fatalf("exit %d, out %q, err %q", code, out, errs)
	}
}

// `leaklsp serve --stdio` speaks LSP on stdin/stdout and ends when stdin closes.
func TestServeStdio(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run([]string{"serve", "--stdio"}, inR, outW, &errb); outW.Close() }()
	conn := jsonrpc2.NewConn(jsonrpc2.NewStream(pipeRWC{outR, inW}))
	conn.Go(context.Background(), jsonrpc2.MethodNotFoundHandler)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var res struct {
		ServerInfo struct {
			Name string `json:"name"`
		} `json:"serverInfo"`
	}
	if _, err := conn.Call(ctx, "initialize", json.RawMessage(`{"processId":null,"rootUri":null,"capabilities":{}}`), &res); err != nil {
		t.Fatal(err)
	}
	if res.ServerInfo.Name != "leaklsp" {
		t.Fatalf("initialize result %+v", res)
	}
	inW.Close()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exit %d: %s", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not end when stdin closed")
	}
}

type pipeRWC struct {
	io.Reader
	io.WriteCloser
}

// --fix applies jsscan's safe fix for the retained timer token in a copy of
// the fixture, says so, and the finding is gone; the unsafe LEAK003 rewrite
// is left alone and still reported.
func TestCheckFix(t *testing.T) {
	fx := fixtures(t)
	dir := t.TempDir()
	for _, f := range []string{"a-timers-als.js", "c-async-recursion.js"} {
		src, err := os.ReadFile(filepath.Join(fx, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, before, _ := runCLI(t, "check", dir)
	if !strings.Contains(before, "a-timers-als.js:30:") || !strings.Contains(before, "LEAK001") {
		t.Fatalf("precondition: LEAK001 at a-timers-als.js:30 not reported:\n%s", before)
	}
	code, out, errs := runCLI(t, "check", "--fix", dir)
	if code != 1 || !strings.Contains(errs, "fixed a-timers-als.js: 1 fix") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if strings.Contains(out, "LEAK001") || !strings.Contains(out, "LEAK003") {
		t.Fatalf("after --fix:\n%s", out)
	}
	orig, _ := os.ReadFile(filepath.Join(fx, "a-timers-als.js"))
	fixed, _ := os.ReadFile(filepath.Join(dir, "a-timers-als.js"))
	if bytes.Equal(orig, fixed) {
		t.Fatal("a-timers-als.js unchanged")
	}
	if _, again, _ := runCLI(t, "check", dir); strings.Contains(again, "LEAK001") {
		t.Fatalf("LEAK001 still reported on a fresh run:\n%s", again)
	}
}

// fixtures is the shared heap fixture directory.
func fixtures(t testing.TB) string { return shared.HeapFixtures(t) }
