//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package jsscan

import "os"

func readSource(path string) ([]byte, error) { return os.ReadFile(path) }
