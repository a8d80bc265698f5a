package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/leaklsp/leaklsp/inspector"
)

// targets is `leaklsp targets [--json]`: the Node.js processes an editor
// offers to capture from, with their inspector URL when one is open.
func targets(args []string, stdout, stderr io.Writer) int {
	asJSON := false
	for _, a := range args {
		switch a {
		case "--json", "-json":
			asJSON = true
		case "-h", "--help":
			fmt.Fprintln(stdout, "Usage: leaklsp targets [--json]\n\nLists Node.js processes (pid, inspector URL if open, command line).\nCapture one with: leaklsp capture ws://… or pid:N")
			return 0
		default:
			fmt.Fprintf(stderr, "leaklsp targets: unknown argument %q\n", a)
			return 2
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ps, err := inspector.Discover(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "leaklsp targets:", err)
		return 2
	}
	if asJSON {
		if ps == nil {
			ps = []inspector.Process{}
		}
		if err := json.NewEncoder(stdout).Encode(ps); err != nil {
			fmt.Fprintln(stderr, "leaklsp targets:", err)
			return 2
		}
		return 0
	}
	for _, p := range ps {
		target := fmt.Sprintf("pid:%d", p.PID)
		if p.Inspector != "" {
			target = p.Inspector
		}
		fmt.Fprintf(stdout, "%-8d %-60s %s\n", p.PID, target, p.Command)
	}
	return 0
}
