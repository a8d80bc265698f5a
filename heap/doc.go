// Package heap loads V8 heap snapshots (.heapsnapshot, plain or gzip),
// builds the retainer graph, dominator tree and retained sizes, maps objects
// to source positions and runs leak detectors that produce Suspects.
//
// It knows nothing of LSP or of workspace files: positions are script URLs
// with 0-based lines and 0-based UTF-16 columns, exactly as V8 reports them.
package heap
