//go:build unix

package inspector

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// enableWait is how long a process gets to open its inspector after
// SIGUSR1; Node does it at the next turn of its event loop.
const enableWait = 5 * time.Second

// resolvePID finds the inspector of process pid, enabling it first with
// SIGUSR1 (what `node inspect -p PID` does) when it is not listening yet.
// Node prints the address it listens on to the process's own stderr, which
// we cannot read; instead the inspector is found among the sockets the
// process listens on, and recognised by the "[pid]" in its target title.
func resolvePID(ctx context.Context, pid int) (string, error) {
	if err := syscall.Kill(pid, 0); err != nil {
		if errors.Is(err, syscall.ESRCH) {
			return "", fmt.Errorf("no process %d", pid)
		}
		return "", fmt.Errorf("process %d: %w", pid, err)
	}
	if ws, ok := findInspector(ctx, pid); ok {
		return ws, nil
	}
	// SIGUSR1 terminates a process that does not handle it: send it to Node only.
	if exe, err := os.Readlink(filepath.Join("/proc", strconv.Itoa(pid), "exe")); err == nil {
		if _, isNode := nodeCommand(pid); !isNode {
			return "", fmt.Errorf("process %d is not Node.js (%s): leaklsp sends SIGUSR1 only to node, which opens its inspector on it; other programs would die of it", pid, filepath.Base(exe))
		}
	}
	if err := syscall.Kill(pid, syscall.SIGUSR1); err != nil {
		return "", fmt.Errorf("cannot send SIGUSR1 to process %d to enable its inspector: %w", pid, err)
	}
	deadline := time.Now().Add(enableWait)
	for time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if syscall.Kill(pid, 0) != nil {
			return "", fmt.Errorf("process %d exited after SIGUSR1 (a process that is not Node dies of it)", pid)
		}
		if ws, ok := findInspector(ctx, pid); ok {
			return ws, nil
		}
	}
	return "", fmt.Errorf("%w for process %d: sent SIGUSR1 but no inspector appeared within %s (not a Node process? port 9229 taken by another process? started with --disable-sigusr1?)", ErrNoInspector, pid, enableWait)
}

// findInspector looks for an inspector among the sockets the process
// listens on: a socket it owns proves the target is its own. When /proc
// cannot be read (another user's process, no procfs) it falls back to the
// default port, accepted only if the target's title names the pid, as
// Node's "node[1234]" titles do (newer versions title it by the script).
func findInspector(ctx context.Context, pid int) (string, bool) {
	addrs, err := listeningAddrs(pid)
	owned := err == nil
	if !owned {
		addrs = []string{DefaultAddr}
	}
	for _, a := range addrs {
		ts, err := List(ctx, a)
		if err != nil {
			continue
		}
		for _, t := range ts {
			if t.WebSocketDebuggerURL != "" && (owned || titledBy(t, pid)) {
				return t.WebSocketDebuggerURL, true
			}
		}
	}
	return "", false
}

func titledBy(t Target, pid int) bool {
	return strings.HasSuffix(t.Title, "["+strconv.Itoa(pid)+"]")
}

// listeningAddrs lists the TCP addresses process pid listens on: the
// sockets in LISTEN state of its network namespace (/proc/N/net/tcp and
// tcp6) whose inodes are among its open files (/proc/N/fd).
func listeningAddrs(pid int) ([]string, error) {
	inodes, err := socketInodes(pid)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range []string{"tcp", "tcp6"} {
		addrs, err := readListening(filepath.Join("/proc", strconv.Itoa(pid), "net", f), inodes)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return out, err
		}
		out = append(out, addrs...)
	}
	return out, nil
}

func socketInodes(pid int) (map[string]bool, error) {
	dir := filepath.Join("/proc", strconv.Itoa(pid), "fd")
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	inodes := map[string]bool{}
	for _, e := range ents {
		l, err := os.Readlink(filepath.Join(dir, e.Name()))
		if err != nil {
			continue // closed meanwhile
		}
		if in, ok := strings.CutPrefix(l, "socket:["); ok {
			inodes[strings.TrimSuffix(in, "]")] = true
		}
	}
	return inodes, nil
}

// readListening parses a /proc/net/tcp table: "sl local_address
// rem_address st … inode", addresses as hex IP (host byte order per 32-bit
// word) and hex port, state 0A for LISTEN.
func readListening(path string, inodes map[string]bool) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 10 || fs[3] != "0A" || !inodes[fs[9]] {
			continue
		}
		if a, ok := parseProcAddr(fs[1]); ok {
			out = append(out, a)
		}
	}
	return out, sc.Err()
}

// parseProcAddr turns "0100007F:2405" into "127.0.0.1:9221". A wildcard
// address becomes loopback, which is where a local client reaches it.
func parseProcAddr(s string) (string, bool) {
	h, p, ok := strings.Cut(s, ":")
	port, err := strconv.ParseUint(p, 16, 16)
	if !ok || err != nil {
		return "", false
	}
	b, err := hex.DecodeString(h)
	if err != nil || (len(b) != 4 && len(b) != 16) {
		return "", false
	}
	for i := 0; i+4 <= len(b); i += 4 { // each 32-bit word is little-endian
		b[i], b[i+1], b[i+2], b[i+3] = b[i+3], b[i+2], b[i+1], b[i]
	}
	ip := net.IP(b)
	if ip.IsUnspecified() {
		if len(b) == 4 {
			ip = net.IPv4(127, 0, 0, 1)
		} else {
			ip = net.IPv6loopback
		}
	}
	return net.JoinHostPort(ip.String(), strconv.FormatUint(port, 10)), true
}
