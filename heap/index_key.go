package heap

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
)

// indexKey identifies one snapshot file as it is now, for this build of
// leaklsp: its absolute path, size, modification time and a hash of its
// first and last bytes (a file rewritten in place within the same
// timestamp tick still changes those), plus the build. Any change to the
// file or to leaklsp makes a new key, so an index is never read for
// anything but what it was written from.
type indexKey struct {
	canon string // every part, as stored in (and compared with) the file
	path  string // hash of the absolute path: the file-name prefix shared by its versions
	stem  string // path + "-" + hash of canon: the index file's name without extension
}

// keyEdge is how many bytes at each end of the snapshot the key hashes:
// the header (node and edge counts, meta) and the tail of the strings.
const keyEdge = 64 << 10

func keyOf(path string) (indexKey, error) {
	build := buildIdentity()
	if build == "" {
		return indexKey{}, fmt.Errorf("no build identity: the index is off")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return indexKey{}, err
	}
	f, err := os.Open(abs)
	if err != nil {
		return indexKey{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return indexKey{}, err
	}
	if !fi.Mode().IsRegular() {
		return indexKey{}, fmt.Errorf("%s is not a regular file", abs)
	}
	h := sha256.New()
	buf := make([]byte, min(fi.Size(), keyEdge))
	for _, off := range []int64{0, max(fi.Size()-keyEdge, 0)} {
		if _, err := f.ReadAt(buf, off); err != nil {
			return indexKey{}, err
		}
		h.Write(buf)
	}
	canon := fmt.Sprintf("leaklsp index %d\npath=%s\nsize=%d\nmtime=%d\nedges=%x\nbuild=%s\n",
		indexVersion, abs, fi.Size(), fi.ModTime().UnixNano(), h.Sum(nil), build)
	p := hash16(abs)
	return indexKey{canon: canon, path: p, stem: p + "-" + hash16(canon)}, nil
}

// hash16 is the first 16 hex digits of s's SHA-256.
func hash16(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// buildIdentity names this build of leaklsp: its module and VCS stamp and
// linker flags (which carry the release version), and the executable's
// size and modification time, so that a rebuilt binary with changed
// detectors or columns never reads the results or columns of another.
// "" (the index stays off) when the executable cannot be found.
var buildIdentity = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	info := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		info = bi.String()
	}
	return hash16(fmt.Sprintf("%s\n%d %d\n", info, fi.Size(), fi.ModTime().UnixNano()))
})
