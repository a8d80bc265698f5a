//go:build unix

// (getrusage: this benchmark measures CPU time and peak RSS on Unix.)

// Command heapbench loads a heap snapshot, builds its graph and runs the
// detectors, printing one "name: value" line per measurement (see
// bench/heap.sh).
//
// Memory tuning: the process lowers GOGC to 50 unless GOGC is set, since
// the big columns are allocated once and live to the end; the default
// (100) lets the garbage of one phase double the peak before the next GC.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/lsp"
)

func main() {
	baseline := flag.String("baseline", "", "earlier snapshot of the same process: also time the growth comparison")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: heapbench [-baseline EARLIER] SNAPSHOT")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	if *cpuprofile != "" {
		stop, err := startCPUProfile(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "heapbench:", err)
			os.Exit(1)
		}
		defer stop()
	}
	if err := run(flag.Arg(0), *baseline); err != nil {
		fmt.Fprintln(os.Stderr, "heapbench:", err)
		os.Exit(1)
	}
}

func run(path, baselinePath string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	var base *heap.Baseline
	if baselinePath != "" {
		t0 := time.Now()
		b, err := heap.Open(baselinePath, heap.LoadOptions{})
		if err != nil {
			return err
		}
		base = heap.NewBaseline(b)
		fmt.Printf("baseline: %s (%d nodes, loaded and summarized in %.3f s)\n", baselinePath, b.NodeCount(), time.Since(t0).Seconds())
	}
	start := time.Now()
	cpu0, sys0 := cpuTimes()
	s, err := heap.Open(path, heap.LoadOptions{})
	if err != nil {
		return err
	}
	loaded := time.Now()
	cpu1, sys1 := cpuTimes()
	rssLoad := peakRSS()
	steps := newStepLog()
	g := heap.NewGraphWith(s, heap.GraphOptions{Step: steps.step})
	graphed := time.Now()
	rssGraph := peakRSS()
	detectors := &detectorLog{}
	suspects := heap.Analyze(s, heap.AnalyzeOptions{Graph: g, Baseline: base, Progress: detectors.progress})
	done := time.Now()
	detectors.progress("", 0, 0) // ends the last detector's time
	rssCheck := peakRSS()        // what leaklsp check holds: the bar's figure
	// The editor's site table (lenses, hover, suspects view), which the
	// server builds beside the detectors on a first open.
	sites := heap.Sites(g, lsp.SiteTableOptions(base))
	sited := time.Now()

	load := loaded.Sub(start)
	mb := float64(fi.Size()) / 1e6
	fmt.Printf("file: %s\n", path)
	fmt.Printf("file size MB: %.1f\n", mb)
	fmt.Printf("nodes: %d\n", s.NodeCount())
	fmt.Printf("edges: %d\n", s.EdgeCount())
	fmt.Printf("strings: %d\n", s.Strings.Len())
	fmt.Printf("load s: %.3f\n", load.Seconds())
	fmt.Printf("load MB/s: %.0f\n", mb/load.Seconds())
	fmt.Printf("load cpu s: %.3f (sys %.3f)\n", (cpu1 - cpu0).Seconds(), (sys1 - sys0).Seconds())
	fmt.Printf("graph s: %.3f\n", graphed.Sub(loaded).Seconds())
	steps.print()
	fmt.Printf("analyze s: %.3f\n", done.Sub(graphed).Seconds()) // with -baseline: includes the growth comparison
	detectors.print()
	fmt.Printf("total s: %.3f\n", done.Sub(start).Seconds())
	fmt.Printf("sites s: %.3f (%d sites; the server's table, not in total)\n", sited.Sub(done).Seconds(), len(sites))
	fmt.Printf("suspects: %d\n", len(suspects))
	for _, su := range suspects {
		fmt.Printf("suspect: %s %s:%d count=%d growth=%d\n", su.Code, su.Site.Script, su.Site.Line+1, su.Count, su.Growth)
	}
	fmt.Printf("root retained MB: %.1f\n", float64(g.Retained.At(s.RootIndex))/1e6)
	fmt.Printf("peak RSS after load MiB: %.0f\n", float64(rssLoad)/(1<<20))
	fmt.Printf("peak RSS after graph MiB: %.0f\n", float64(rssGraph)/(1<<20))
	fmt.Printf("peak RSS MiB: %.0f\n", float64(rssCheck)/(1<<20))
	fmt.Printf("peak RSS / file size: %.2f (issue #12 bar: <= 1.00)\n", float64(rssCheck)/float64(fi.Size()))
	fmt.Printf("peak RSS with the site table MiB: %.0f\n", float64(peakRSS())/(1<<20))
	cpu, sys := cpuTimes()
	fmt.Printf("CPU s (user+sys, whole run): %.3f (sys %.3f)\n", cpu.Seconds(), sys.Seconds())
	runtime.KeepAlive(g)
	return nil
}

// peakRSS reads VmHWM (peak resident set size); 0 where
// /proc/self/status does not exist.
func peakRSS() int64 { return procStatus("VmHWM:") }

// procStatus reads one size field of /proc/self/status, in bytes.
func procStatus(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb << 10
		}
	}
	return 0
}

// startCPUProfile profiles the process into path until the returned
// function runs.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
