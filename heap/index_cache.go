package heap

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// IndexCache is the directory of re-open indexes: per analysed snapshot a
// graph index (.lidx: every column of its Snapshot and Graph, see
// index_columns.go) and a results file (.lres) per set of analysis
// options, so that opening the same snapshot again needs neither parsing
// nor analysis. Files are written to a temporary name and renamed, and
// the total size is bounded by evicting the least recently used.
//
// A nil *IndexCache is valid and caches nothing.
type IndexCache struct {
	dir string
	max int64
}

// DefaultIndexMax bounds the cache unless LEAKLSP_INDEX_MAX says otherwise:
// the indexes of a few 1 GB snapshots (an index is ~1.2x its snapshot).
const DefaultIndexMax = 8 << 30

const (
	graphExt   = ".lidx"
	resultsExt = ".lres"
	tempPrefix = ".tmp-"
)

// NewIndexCache returns a cache in dir (created when first written) holding
// at most max bytes.
func NewIndexCache(dir string, max int64) *IndexCache {
	return &IndexCache{dir: dir, max: max}
}

// DefaultIndexCache is the user's cache: LEAKLSP_INDEX_DIR, else
// leaklsp/index under os.UserCacheDir(); LEAKLSP_INDEX_DIR=off disables it
// (nil), as does a missing cache directory. LEAKLSP_INDEX_MAX bounds it
// (bytes, or with a K, M or G suffix).
func DefaultIndexCache() (*IndexCache, error) {
	dir := os.Getenv("LEAKLSP_INDEX_DIR")
	switch dir {
	case "off":
		return nil, nil
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, nil // no home, no cache: parse every time
		}
		dir = filepath.Join(base, "leaklsp", "index")
	}
	limit := int64(DefaultIndexMax)
	if v := os.Getenv("LEAKLSP_INDEX_MAX"); v != "" {
		n, err := parseByteSize(v)
		if err != nil {
			return nil, fmt.Errorf("LEAKLSP_INDEX_MAX: %w", err)
		}
		limit = n
	}
	return NewIndexCache(dir, limit), nil
}

func parseByteSize(v string) (int64, error) {
	mult := int64(1)
	s := strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(v)), "B")
	if n := len(s); n > 0 {
		if i := strings.IndexByte("KMGT", s[n-1]); i >= 0 {
			mult, s = int64(1)<<(10*(i+1)), strings.TrimSpace(s[:n-1])
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a size (e.g. 8G, 500M, 1000000)", v)
	}
	return n * mult, nil
}

// file is the path of a cache file.
func (c *IndexCache) file(name string) string { return filepath.Join(c.dir, name) }

// touch marks a cache file as just used, for the LRU eviction.
func (c *IndexCache) touch(name string) {
	now := time.Now()
	_ = os.Chtimes(c.file(name), now, now)
}

// writeFile writes a cache file through a temporary file and a rename, so
// that no reader ever sees a partial file under the final name.
func (c *IndexCache) writeFile(name string, write func(*os.File) error) error {
	if err := os.MkdirAll(c.dir, 0o700); err != nil { // the user's own: nobody else plants an index
		return err
	}
	f, err := os.CreateTemp(c.dir, tempPrefix+"*")
	if err != nil {
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), c.file(name))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

type cacheEntry struct {
	name string
	size int64
	used time.Time
}

// evict makes room for reserve more bytes: it drops older versions of k's
// snapshot (files with k's path prefix and another key), temporary files
// an interrupted write left, and then the least recently used files
// until the cache holds at most max-reserve bytes.
func (c *IndexCache) evict(k indexKey, reserve int64) {
	des, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	var live []cacheEntry
	var total int64
	for _, de := range des {
		fi, err := de.Info()
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		name := de.Name()
		stale := strings.HasPrefix(name, k.path+"-") && !strings.HasPrefix(name, k.stem)
		orphan := strings.HasPrefix(name, tempPrefix) && time.Since(fi.ModTime()) > time.Hour
		if stale || orphan {
			os.Remove(c.file(name))
			continue
		}
		live = append(live, cacheEntry{name, fi.Size(), fi.ModTime()})
		total += fi.Size()
	}
	slices.SortFunc(live, func(a, b cacheEntry) int { return a.used.Compare(b.used) })
	for _, e := range live {
		if total+reserve <= c.max {
			break
		}
		if os.Remove(c.file(e.name)) == nil {
			total -= e.size
		}
	}
}
