package heap

// TEMPORARY: replaced by the real loader (delete this file when load.go lands).

import (
	"errors"
	"io"
)

// LoadOptions configures Load.
type LoadOptions struct {
	// Size is the total number of input bytes if known (for progress), else 0.
	Size int64
	// Progress, if set, is called now and then with bytes read so far and Size.
	Progress func(done, total int64)
}

// Open loads the snapshot at path; gzip input is detected by its magic bytes.
func Open(path string, opts LoadOptions) (*Snapshot, error) { return nil, errors.New("not implemented") }

// Load reads one snapshot from r (plain JSON; gzip detected by magic bytes).
func Load(r io.Reader, opts LoadOptions) (*Snapshot, error) { return nil, errors.New("not implemented") }
