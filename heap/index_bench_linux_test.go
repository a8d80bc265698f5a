package heap

import (
	"os"
	"runtime/debug"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// cpuTime is the process's user+sys time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per op of the loop since start: wall
// times on a shared machine are inflated, CPU times much less.
func reportCPU(b *testing.B, start time.Duration, ops int) {
	b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(ops), "cpu-ms/op")
}

// BenchmarkIndexOpenCold is BenchmarkIndexOpen with the index out of the
// page cache before each open, as after a reboot (or a direct write).
func BenchmarkIndexOpenCold(b *testing.B) {
	c, k, _ := benchIndexed(b)
	debug.FreeOSMemory()
	name := c.file(k.stem + graphExt)
	b.SetBytes(fileSize(b, name))
	cpu0, n := cpuTime(), 0
	for b.Loop() {
		f, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
		f.Close()
		if _, err := onMappedGraph(c, k, func(*Graph) (int, error) { return 0, nil }); err != nil {
			b.Fatal(err)
		}
		n++
	}
	reportCPU(b, cpu0, n)
}
