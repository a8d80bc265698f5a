package inspector

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/klauspost/compress/gzip"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// CaptureFile captures a snapshot into path, gzip-compressed when path
// ends in ".gz". The text is compressed as it arrives, so memory stays
// constant whatever the heap size. The file appears only when complete: a
// capture that fails leaves no partial file behind. It returns the size of
// the uncompressed snapshot text.
func CaptureFile(ctx context.Context, s *Session, path string, opts Options) (int64, error) {
	tmp, err := createPartial(path)
	if err != nil {
		return 0, err
	}
	n, err := writeSnapshot(ctx, s, tmp, strings.HasSuffix(path, ".gz"), opts)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return n, fmt.Errorf("capture to %s: %w (partial file removed)", path, err)
	}
	return n, nil
}

func writeSnapshot(ctx context.Context, s *Session, f *os.File, gz bool, opts Options) (int64, error) {
	bw := bufio.NewWriterSize(f, 1<<20)
	if !gz {
		n, err := Capture(ctx, s, bw, opts)
		if err != nil {
			return n, err
		}
		return n, bw.Flush()
	}
	// BestSpeed: snapshot text compresses about 6:1 even so, and a higher
	// level makes compression, not V8, the slowest part of a capture.
	zw, err := gzip.NewWriterLevel(bw, gzip.BestSpeed)
	if err != nil {
		return 0, err
	}
	n, err := Capture(ctx, s, zw, opts)
	if err != nil {
		return n, err
	}
	return n, errors.Join(zw.Close(), bw.Flush())
}

// createPartial creates the file a capture writes before it is complete,
// beside path (so the final rename stays on one file system). Unlike
// os.CreateTemp it leaves the mode to the user's umask, as for any file
// the user writes.
func createPartial(path string) (*os.File, error) {
	var b [6]byte
	for range 10 {
		_, _ = rand.Read(b[:])
		name := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".partial-"+hex.EncodeToString(b[:]))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("cannot create a partial file beside %s", path)
}
