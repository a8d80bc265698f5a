package main

import (
	"os"
	"path/filepath"
	"strings"
)

// sarifRoot is the directory SARIF artifact URIs are relative to (the
// SRCROOT base id). Code scanning (GitHub, GitLab, Azure DevOps) resolves
// URIs against the repository root, so `check --format sarif src/` must say
// src/x.js, not x.js: the git top level that holds the first PATH, else the
// working directory when the first PATH is inside it, else that PATH.
func sarifRoot(scanned string) string {
	if top := gitTopLevel(scanned); top != "" {
		return top
	}
	if wd, err := os.Getwd(); err == nil && within(wd, scanned) {
		return wd
	}
	return scanned
}

// gitTopLevel walks up from dir to the directory holding .git (a directory
// in a clone, a file in a worktree or submodule); "" when there is none.
// No git binary needed.
func gitTopLevel(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// within reports whether path is dir or below it (both absolute, clean).
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
