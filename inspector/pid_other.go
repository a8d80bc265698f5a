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
