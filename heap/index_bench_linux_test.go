package heap

import (
	"syscall"
	"testing"
	"time"
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
