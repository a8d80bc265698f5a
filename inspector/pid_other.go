//go:build !unix

package inspector

import (
	"context"
	"fmt"
)

// resolvePID needs signals and /proc: on this system, start node with
// --inspect and give host:port instead.
func resolvePID(ctx context.Context, pid int) (string, error) {
	return "", fmt.Errorf("pid:%d: enabling the inspector of a running process needs a Unix system; start node with --inspect and give host:port", pid)
}

// listeningAddrs needs /proc: Discover finds no inspector by process here.
func listeningAddrs(pid int) ([]string, error) {
	return nil, fmt.Errorf("pid %d: listing a process's sockets needs /proc", pid)
}
