package heap

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// TestDevToolsParity is the differential test against Chrome DevTools' own
// heap snapshot model (npm heap-snapshot-toolkit, installed pinned by
// scripts/setup-devtools.sh and run by scripts/devtools-dump.mjs): on every
// snapshot in the repository, for every node, the immediate dominator, the
// distance, the shallow size and the retained size must be DevTools'.
// New fixtures are picked up automatically; LEAKLSP_PARITY_EXTRA adds
// snapshots from elsewhere (a colon-separated list of paths). DevTools'
// results are cached by snapshot content under the cache directory, so
// reruns cost a Go load each.
func TestDevToolsParity(t *testing.T) {
	root := repoRoot(t)
	snaps := repoSnapshots(t, root)
	if extra := os.Getenv("LEAKLSP_PARITY_EXTRA"); extra != "" {
		snaps = append(snaps, filepath.SplitList(extra)...)
	}
	if len(snaps) == 0 {
		t.Fatal("no heap snapshots found in the repository")
	}
	outs := devToolsDumps(t, root, snaps)
	for i, snap := range snaps {
		rel, err := filepath.Rel(root, snap)
		if err != nil || strings.HasPrefix(rel, "..") {
			rel = filepath.Base(snap)
		}
		t.Run(rel, func(t *testing.T) {
			want, err := readDevToolsDump(outs[i])
			if err != nil {
				t.Fatal(err)
			}
			s, err := Open(snap, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			compareWithDevTools(t, NewGraph(s), want)
		})
	}
}

// devToolsDump is what scripts/devtools-dump.mjs writes, per node ordinal.
type devToolsDump struct {
	IDs, DomIDs, Shallow []uint32
	Distance             []int32
	Retained             []float64
}

func readDevToolsDump(path string) (*devToolsDump, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < 8 || string(b[:4]) != "DTP1" {
		return nil, fmt.Errorf("%s: not a devtools-dump file", path)
	}
	n := int(binary.LittleEndian.Uint32(b[4:]))
	if len(b) != 8+24*n {
		return nil, fmt.Errorf("%s: %d bytes for %d nodes", path, len(b), n)
	}
	d := &devToolsDump{make([]uint32, n), make([]uint32, n), make([]uint32, n), make([]int32, n), make([]float64, n)}
	r := bytes.NewReader(b[8:])
	for _, col := range []any{d.IDs, d.DomIDs, d.Distance, d.Shallow, d.Retained} {
		if err := binary.Read(r, binary.LittleEndian, col); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// compareWithDevTools fails with the first differing nodes of each column
// and the share of nodes that differ.
func compareWithDevTools(t *testing.T, g *Graph, want *devToolsDump) {
	t.Helper()
	n := g.NodeCount()
	if len(want.IDs) != n {
		t.Fatalf("DevTools has %d nodes, we have %d", len(want.IDs), n)
	}
	for v := range n {
		if g.NodeIDs[v] != want.IDs[v] {
			t.Fatalf("node %d: id @%d, DevTools @%d (node order differs)", v, g.NodeIDs[v], want.IDs[v])
		}
	}
	// differs says whether node v's value differs; show formats both for the
	// message (only for the first few: formatting every node cost more than
	// the comparison).
	cols := []struct {
		name    string
		differs func(v uint32) bool
		show    func(v uint32) (ours, theirs string)
	}{
		{"immediate dominator",
			func(v uint32) bool { return g.NodeIDs[g.IDom.At(v)] != want.DomIDs[v] },
			func(v uint32) (string, string) {
				return fmt.Sprintf("@%d", g.NodeIDs[g.IDom.At(v)]), fmt.Sprintf("@%d", want.DomIDs[v])
			}},
		{"distance",
			func(v uint32) bool { return g.Distance.At(v) != want.Distance[v] },
			func(v uint32) (string, string) { return fmt.Sprint(g.Distance.At(v)), fmt.Sprint(want.Distance[v]) }},
		{"shallow size",
			func(v uint32) bool { return g.ShallowSize(v) != want.Shallow[v] },
			func(v uint32) (string, string) { return fmt.Sprint(g.ShallowSize(v)), fmt.Sprint(want.Shallow[v]) }},
		{"retained size",
			func(v uint32) bool { return float64(g.Retained.At(v)) != want.Retained[v] },
			func(v uint32) (string, string) { return fmt.Sprint(g.Retained.At(v)), fmt.Sprint(want.Retained[v]) }},
	}
	for _, c := range cols {
		var bad int
		var first []string
		for v := range uint32(n) {
			if !c.differs(v) {
				continue
			}
			if bad++; len(first) < 5 {
				ours, theirs := c.show(v)
				first = append(first, fmt.Sprintf("\n\tnode @%d %q (%s): ours %s, DevTools %s",
					g.NodeIDs[v], g.Name(v), kindName(g.NodeKinds[v]), ours, theirs))
			}
		}
		if bad > 0 {
			t.Errorf("%s differs on %d of %d nodes (%.3f%%), first:%s", c.name, bad, n, 100*float64(bad)/float64(n), strings.Join(first, ""))
		}
	}
}

// repoRoot is the module root (the parent of this package's directory).
func repoRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd)
}

// repoSnapshots lists every committed heap snapshot: *.heapsnapshot and
// *.heapsnapshot.gz anywhere in the repository outside caches and
// dependencies (the fuzz corpus has other names).
func repoSnapshots(t *testing.T, root string) []string {
	t.Helper()
	var snaps []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", ".cache", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".heapsnapshot") || strings.HasSuffix(path, ".heapsnapshot.gz") {
			snaps = append(snaps, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return snaps
}

// devToolsDumps returns the path of DevTools' dump of each snapshot,
// running scripts/devtools-dump.mjs once for all that are not cached. It
// skips the test only when node or npm is missing.
func devToolsDumps(t *testing.T, root string, snaps []string) []string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("DevTools parity not checked: %s not found in PATH (needed to run heap-snapshot-toolkit)", tool)
		}
	}
	setup := exec.Command("bash", filepath.Join(root, "scripts/setup-devtools.sh"))
	setup.Stderr = os.Stderr
	out, err := setup.Output()
	if err != nil {
		t.Fatalf("scripts/setup-devtools.sh: %v", err)
	}
	toolkit := strings.TrimSpace(string(out))
	script := filepath.Join(root, "scripts/devtools-dump.mjs")
	// The cache key covers the script and toolkit version (the directory
	// name) too, so a changed dump format never reads stale files.
	scriptSum, err := fileSum(script)
	if err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(toolkit, "dumps")
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	outs := make([]string, len(snaps))
	var todo []string // pairs of snapshot, output
	for i, snap := range snaps {
		sum, err := fileSum(snap)
		if err != nil {
			t.Fatal(err)
		}
		outs[i] = filepath.Join(cache, sum[:24]+"-"+scriptSum[:12]+".dtp")
		if _, err := os.Stat(outs[i]); errors.Is(err, fs.ErrNotExist) {
			todo = append(todo, snap, outs[i])
		}
	}
	// One node process per CPU (at most two: each holds a whole snapshot
	// model), each taking every other snapshot. The script renames each
	// output into place when complete, so a failure leaves no stale file.
	procs := min(runtime.NumCPU(), 2, len(todo)/2)
	logs := make([]bytes.Buffer, procs)
	errs := make([]error, procs)
	var wg sync.WaitGroup
	for p := range procs {
		args := []string{script, toolkit}
		for i := 2 * p; i < len(todo); i += 2 * procs {
			args = append(args, todo[i], todo[i+1])
		}
		wg.Go(func() {
			cmd := exec.Command("node", args...)
			cmd.Stderr = &logs[p]
			errs[p] = cmd.Run()
		})
	}
	wg.Wait()
	for p := range procs {
		if errs[p] != nil {
			t.Fatalf("node scripts/devtools-dump.mjs: %v\n%s", errs[p], logs[p].String())
		}
		t.Logf("DevTools model run:\n%s", logs[p].String())
	}
	return outs
}

func fileSum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
