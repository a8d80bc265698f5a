// Command leaklsp finds memory leaks in Node.js services: it loads V8 heap
// snapshots, maps leak suspects to source lines, scans JS/TS for the same
// patterns, and reports them in the editor (language server) or in CI.
//
//	leaklsp [serve [--stdio]]   language server over stdio
//	leaklsp check [flags] [PATH…]
//	leaklsp capture [-o FILE] [TARGET]
//	leaklsp watch [--after D | --run CMD [--iterations N]] TARGET [PATH…]
//	leaklsp version | help
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/leaklsp/leaklsp/lsp"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `leaklsp finds the line of code that leaks memory in a Node.js service.

Usage:
  leaklsp [serve [--stdio]]     run the language server on stdin/stdout (editors
                                start it; bare leaklsp in a terminal prints this)
  leaklsp check [flags] [PATH…] scan PATHs (default ".") and a heap snapshot
  leaklsp capture [-o FILE] [TARGET]
                                take a heap snapshot of a running Node process
  leaklsp watch [--after D | --run CMD] TARGET [PATH…]
                                report what grows in a running Node process
  leaklsp targets [--json]      list Node processes to capture from
  leaklsp version               print the version
  leaklsp help                  print this help

Run "leaklsp check -h" for the check flags.
`

// run is main without the process: tests call it in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) == 0 && stdinIsTerminal(stdin) {
		// A person typed `leaklsp`: the server would wait silently for LSP
		// messages. Editors start it with pipes, which still serve.
		fmt.Fprint(stderr, usage)
		return 2
	}
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve", "--stdio":
		return serve(args, stdin, stdout, stderr)
	case "check":
		return check(args, stdout, stderr)
	case "capture":
		return capture(args, stdin, stdout, stderr)
	case "watch":
		return watch(args, stdin, stdout, stderr)
	case "targets":
		return targets(args, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "leaklsp", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "leaklsp: unknown command %q\n\n%s", cmd, usage)
	return 2
}

// serve runs the language server. --stdio is accepted and ignored (VS
// Code's client appends it); --log-level=debug|info|warn|error sets the
// level of the log on stderr.
func serve(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	level := slog.LevelInfo
	for _, a := range args {
		switch {
		case a == "--stdio" || a == "-stdio":
		case strings.HasPrefix(a, "--log-level="):
			if err := level.UnmarshalText([]byte(strings.TrimPrefix(a, "--log-level="))); err != nil {
				fmt.Fprintf(stderr, "leaklsp serve: %v\n", err)
			}
		case a == "-h" || a == "--help":
			fmt.Fprint(stdout, usage)
			return 0
		default:
			fmt.Fprintf(stderr, "leaklsp serve: ignoring unknown argument %q\n", a)
		}
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	err := lsp.Serve(context.Background(), stdio{stdin, stdout}, lsp.Options{Version: version, Logger: log})
	if err != nil && !errors.Is(err, io.EOF) {
		log.Error("connection ended", "err", err)
		return 1
	}
	return 0
}

// stdio joins stdin and stdout into the connection's ReadWriteCloser.
type stdio struct {
	io.Reader
	io.Writer
}

func (s stdio) Close() error {
	var errs []error
	for _, x := range []any{s.Reader, s.Writer} {
		if c, ok := x.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}
