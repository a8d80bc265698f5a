//go:build unix

// (getrusage: this benchmark measures CPU time and peak RSS on Unix.)

// Command jsscancorpus scans a directory tree (node_modules included) with
// every jsscan rule and prints throughput, peak memory and findings per
// code; -sample N prints N findings per code for checking by hand.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"syscall"
	"time"

	"github.com/leaklsp/leaklsp/jsscan"
)

func main() {
	sample := flag.Int("sample", 0, "print this many findings per code")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the scan to this file")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: jsscancorpus [-sample N] DIR")
		os.Exit(2)
	}
	root := flag.Arg(0)
	files, bytes := 0, int64(0)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && jsscan.IsScannable(p) {
			if info, err := d.Info(); err == nil {
				files++
				bytes += info.Size()
			}
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		_ = pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	findings, err := jsscan.ScanDir(root, jsscan.DirOptions{IncludeNodeModules: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	secs := time.Since(start).Seconds()
	mb := float64(bytes) / 1e6
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	fmt.Printf("files %d  MB %.1f  seconds %.2f  MB/s %.1f  CPU seconds %.2f (%.1f MB per CPU-second)  peak RSS %.0f MB  GOMAXPROCS %d\n",
		files, mb, secs, mb/secs, cpu, mb/cpu, float64(ru.Maxrss)/1024, runtime.GOMAXPROCS(0))
	byCode := map[string][]jsscan.Finding{}
	for _, f := range findings {
		byCode[f.Code] = append(byCode[f.Code], f)
	}
	codes := make([]string, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		fs := byCode[c]
		fmt.Printf("%s %d\n", c, len(fs))
		// an even spread over the (path-sorted) findings
		n := min(*sample, len(fs))
		for i := 0; i < n; i++ {
			f := fs[i*len(fs)/n]
			fmt.Printf("   %s:%d:%d %s\n", f.Path, f.Range.Start.Line+1, f.Range.Start.Column+1, f.Message)
		}
	}
}
