package jsscan

// TEMPORARY: replaced by the real scanner (delete this file when scan.go lands).

// Scan runs every rule on one file. path decides the language by extension
// (.js .mjs .cjs .jsx .ts .mts .cts .tsx, tsconfig.json).
func Scan(path string, src []byte) []Finding { return nil }

// DirOptions configures ScanDir.
type DirOptions struct {
	IncludeNodeModules bool
	Rules              map[string]bool // code -> enabled; nil = all enabled
}

// ScanDir scans every JS/TS file and tsconfig.json under root in parallel.
func ScanDir(root string, opts DirOptions) ([]Finding, error) { return nil, nil }
