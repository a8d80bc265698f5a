//go:build unix

// Command reopen measures opening a heap snapshot the first time and again
// (issue #12 item 5, bar: a re-open of an analysed 835 MB snapshot in
// ≤ 0.3 s), with the real leaklsp binary and a fresh re-open index:
//
//   - check: `leaklsp check --no-static --snapshot S` with --no-index (the
//     cost without the index), then three times: the first parses and
//     analyses (and writes the index), the second reads the stored results,
//     the third, with the results file deleted, analyses the graph mapped
//     from the index;
//   - server: `leaklsp serve` answering leaklsp.server.openSnapshot: first
//     open, the same snapshot again in the same server, and in a new
//     server process (the editor restarted).
//
// It prints one "name: value" line per figure, with the load average
// before each run; wall times on a busy machine are inflated, CPU times
// (user+sys of the process) are not.
//
// Usage: reopen -leaklsp BIN SNAPSHOT (bench/reopen.sh builds and runs it).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

func main() {
	bin := flag.String("leaklsp", "leaklsp", "the leaklsp `binary` to measure")
	flag.StringVar(&only, "only", "", "measure only `check` or only `server`")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: reopen -leaklsp BIN SNAPSHOT")
		os.Exit(2)
	}
	if err := run(*bin, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "reopen:", err)
		os.Exit(1)
	}
}

func run(bin, snap string) error {
	fi, err := os.Stat(snap)
	if err != nil {
		return err
	}
	fmt.Printf("snapshot: %s (%.0f MB)\n", snap, float64(fi.Size())/1e6)
	work, err := os.MkdirTemp("", "leaklsp-reopen-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if only != "server" {
		if err := checkRuns(bin, snap, work); err != nil {
			return err
		}
	}
	if only != "check" {
		return serverRuns(bin, snap, work)
	}
	return nil
}

var only string // -only

// checkRuns times `leaklsp check` first, from the results, from the graph.
func checkRuns(bin, snap, work string) error {
	index := filepath.Join(work, "check-index")
	empty := filepath.Join(work, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		return err
	}
	var first []byte
	for _, step := range []string{"without index", "first open", "re-open (results)", "re-open (graph index)"} {
		if step == "re-open (graph index)" {
			res, _ := filepath.Glob(filepath.Join(index, "*.lres"))
			for _, p := range res {
				os.Remove(p)
			}
		}
		loadavg(step)
		args := []string{"check", "--no-static", "--exit-zero", "--snapshot", snap, empty}
		if step == "without index" { // what the first open costs without writing one
			args = append(args[:1], append([]string{"--no-index"}, args[1:]...)...)
		}
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "LEAKLSP_INDEX_DIR="+index)
		out, m, err := timed(cmd)
		if err != nil {
			return fmt.Errorf("check (%s): %v", step, err)
		}
		if first == nil {
			first = out
		} else if !bytes.Equal(out, first) {
			return fmt.Errorf("check (%s): output differs from the first run's", step)
		}
		m.print("check " + step)
		if step == "first open" {
			fmt.Printf("check index size MB: %.0f\n", float64(dirSize(index))/1e6)
		}
	}
	return nil
}

// measurement is one process run.
type measurement struct {
	output, wall time.Duration // to the first byte of stdout, to the exit
	cpu          time.Duration // user + sys
	rss          int64         // peak, bytes
}

func (m measurement) print(name string) {
	fmt.Printf("%s: output %.3f s, exit %.3f s, cpu %.3f s, peak RSS %.0f MiB\n",
		name, m.output.Seconds(), m.wall.Seconds(), m.cpu.Seconds(), float64(m.rss)/(1<<20))
}

// timed runs cmd, timing its first output and its exit.
func timed(cmd *exec.Cmd) ([]byte, measurement, error) {
	var m measurement
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, m, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, m, err
	}
	var out bytes.Buffer
	buf := make([]byte, 64<<10)
	for {
		n, err := stdout.Read(buf)
		if n > 0 && out.Len() == 0 {
			m.output = time.Since(start)
		}
		out.Write(buf[:n])
		if err != nil {
			break
		}
	}
	if err := cmd.Wait(); err != nil {
		return nil, m, fmt.Errorf("%v: %s", err, stderr.Bytes())
	}
	m.wall = time.Since(start)
	m.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.rss = ru.Maxrss * 1024
	}
	return out.Bytes(), m, nil
}

func loadavg(before string) {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) >= 3 {
		fmt.Printf("load before %s: %s %s %s\n", before, f[0], f[1], f[2])
	}
}

func dirSize(dir string) int64 {
	var n int64
	des, _ := os.ReadDir(dir)
	for _, de := range des {
		if fi, err := de.Info(); err == nil {
			n += fi.Size()
		}
	}
	return n
}
