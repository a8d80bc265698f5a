package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// parseInterleaved lets flags follow positional arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

// flagsEnd ends a subcommand whose flags did not parse into options: -h
// (usage printed, exit 0) or a usage error (printed, exit 2).
func flagsEnd(cmd string, err error, stderr io.Writer) (code int, end bool) {
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0, true
	case err != nil:
		fmt.Fprintf(stderr, "leaklsp %s: %v\n", cmd, err)
		return 2, true
	}
	return 0, false
}
