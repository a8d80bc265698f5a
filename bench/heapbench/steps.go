//go:build unix

// (getrusage: this benchmark measures CPU time and peak RSS on Unix.)

package main

import (
	"fmt"
	"syscall"
	"time"
)

// stepLog records each graph step's wall time, the process CPU time
// (user+sys, all threads) it took and the RSS after it: on a shared machine
// CPU time is the figure to compare, and the RSS column shows which step
// sets the peak.
type stepLog struct {
	cpu   time.Duration
	lines []string
}

func newStepLog() *stepLog { return &stepLog{cpu: cpuTime()} }

func (l *stepLog) step(name string, wall time.Duration) {
	cpu := cpuTime()
	l.lines = append(l.lines, fmt.Sprintf("graph step %s: wall %.3f s, cpu %.3f s, RSS %.0f MiB, peak %.0f MiB",
		name, wall.Seconds(), (cpu-l.cpu).Seconds(), float64(procStatus("VmRSS:"))/(1<<20), float64(procStatus("VmHWM:"))/(1<<20)))
	l.cpu = cpu
}

func (l *stepLog) print() {
	for _, s := range l.lines {
		fmt.Println(s)
	}
}

// cpuTime is the process's user+system time so far; 0 where getrusage fails.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
