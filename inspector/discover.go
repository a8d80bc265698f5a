package inspector

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
		p := Process{PID: pid, Command: cmd}
		if addrs, err := listeningAddrs(pid); err == nil {
			for _, a := range addrs {
				if ts, err := List(ctx, a); err == nil {
					if ws, err := firstTarget(a, ts); err == nil {
						p.Inspector = ws
						break
					}
				}
			}
		}
		out = append(out, p)
	}
	return out, nil
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
