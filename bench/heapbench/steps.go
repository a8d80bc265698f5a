//go:build unix

// (getrusage: this benchmark measures CPU time and peak RSS on Unix.)

package main

import (
	"fmt"
	"syscall"
	"time"
)

// stepLog records each graph step's wall time, the process CPU time
// (user+sys, all threads) it took, the system part of it, and the RSS
// after it: on a shared machine CPU time is the figure to compare, the
// system time is mostly the kernel clearing freshly faulted pages, and the
// RSS column shows which step sets the peak.
type stepLog struct {
	cpu, sys time.Duration
	lines    []string
}

func newStepLog() *stepLog {
	l := &stepLog{}
	l.cpu, l.sys = cpuTimes()
	return l
}

func (l *stepLog) step(name string, wall time.Duration) {
	cpu, sys := cpuTimes()
	l.lines = append(l.lines, fmt.Sprintf("graph step %s: wall %.3f s, cpu %.3f s (sys %.3f), RSS %.0f MiB, peak %.0f MiB",
		name, wall.Seconds(), (cpu-l.cpu).Seconds(), (sys-l.sys).Seconds(), float64(procStatus("VmRSS:"))/(1<<20), float64(procStatus("VmHWM:"))/(1<<20)))
	l.cpu, l.sys = cpu, sys
}

func (l *stepLog) print() {
	for _, s := range l.lines {
		fmt.Println(s)
	}
}

// cpuTimes is the process's user+system time so far and the system part;
// zeros where getrusage fails.
func cpuTimes() (cpu, sys time.Duration) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), time.Duration(ru.Stime.Nano())
}

// detectorLog times each detector from Analyze's Progress calls, which
// come before each step: a step lasts until the next call.
type detectorLog struct {
	name  string
	start time.Time
	lines []string
}

func (l *detectorLog) progress(step string, _, _ int) {
	now := time.Now()
	if l.name != "" {
		l.lines = append(l.lines, fmt.Sprintf("detector %s: wall %.3f s", l.name, now.Sub(l.start).Seconds()))
	}
	l.name, l.start = step, now
}

func (l *detectorLog) print() {
	for _, s := range l.lines {
		fmt.Println(s)
	}
}
