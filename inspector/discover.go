package inspector

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Process is a Node.js process on this machine, for a "pick a process"
// list: its pid, command line, and inspector URL when it listens on one.
type Process struct {
	PID       int    `json:"pid"`
	Command   string `json:"command"`
	Inspector string `json:"inspector,omitempty"` // ws:// URL
}

// Discover lists the Node.js processes this user can see (Linux: /proc),
// with the inspector each one has open. A process without one can still be
// captured as pid:N (SIGUSR1 opens it).
func Discover(ctx context.Context) ([]Process, error) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	self := os.Getpid()
	var out []Process
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		cmd, ok := nodeCommand(pid)
		if !ok {
			continue
		}
		out = append(out, Process{PID: pid, Command: cmd})
	}
	// Ask every listening socket at once, briefly: a busy server of
	// another process must not hold up the list.
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		go func(p *Process) {
			defer wg.Done()
			p.Inspector = inspectorOf(ctx, p.PID)
		}(&out[i])
	}
	wg.Wait()
	return out, nil
}

// discoverWait bounds how long Discover waits for one socket's answer.
const discoverWait = 2 * time.Second

func inspectorOf(ctx context.Context, pid int) string {
	addrs, err := listeningAddrs(pid)
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		c, cancel := context.WithTimeout(ctx, discoverWait)
		ts, err := List(c, a)
		cancel()
		if err != nil {
			continue
		}
		if ws, err := firstTarget(a, ts); err == nil {
			return ws
		}
	}
	return ""
}

// nodeCommand returns the command line of pid if its executable is node.
func nodeCommand(pid int) (string, bool) {
	raw, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	if err != nil || len(raw) == 0 {
		return "", false
	}
	args := strings.Split(strings.TrimRight(string(raw), "\x00"), "\x00")
	exe, err := os.Readlink(filepath.Join("/proc", strconv.Itoa(pid), "exe"))
	if err != nil {
		exe = args[0]
	}
	base := filepath.Base(exe)
	if base != "node" && !strings.HasPrefix(base, "node-") && !strings.HasPrefix(base, "nodejs") {
		return "", false
	}
	return strings.Join(args, " "), true
}
