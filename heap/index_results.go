package heap

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"os"
)

// A results file holds what a caller computed from a snapshot's graph
// (suspects, site tables), gob-encoded (decoding the server's 3.9 MB of
// sites and paths for an 850 MB snapshot takes a third of JSON's time,
// 38 ms), in the index format with a single
// "results" section; its key adds the fingerprint of the options the
// results depend on. It is small, so it is read, not mapped, and verified
// whole.

func resultsKey(k indexKey, fingerprint string) string {
	return k.canon + "contents=results\noptions=" + fingerprint + "\n"
}

func resultsName(k indexKey, fingerprint string) string {
	return k.stem + "-" + hash16(fingerprint)[:8] + resultsExt
}

// loadResults decodes k's results for fingerprint into v; false when there
// are none or they are damaged (v is then unspecified).
func (c *IndexCache) loadResults(k indexKey, fingerprint string, v any) bool {
	name := resultsName(k, fingerprint)
	b, err := readResults(c.file(name), resultsKey(k, fingerprint))
	if err != nil || gob.NewDecoder(bytes.NewReader(b)).Decode(v) != nil {
		return false
	}
	c.touch(name)
	return true
}

func readResults(path, key string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	meta, err := readIndexMeta(f, fi.Size(), key)
	if err != nil {
		return nil, err
	}
	if len(meta.Sections) != 1 || meta.Sections[0].Name != "results" {
		return nil, fmt.Errorf("%w: not a results file", errIndexInvalid)
	}
	s := meta.Sections[0]
	buf := make([]byte, s.Off+s.Len) // the section, at its offset, so verifySections applies
	if _, err := f.ReadAt(buf[s.Off:], s.Off); err != nil {
		return nil, err
	}
	if err := verifySections(buf, meta.Sections); err != nil {
		return nil, err
	}
	return buf[s.Off:], nil
}

// storeResults writes v as k's results for fingerprint.
func (c *IndexCache) storeResults(k indexKey, fingerprint string, v any) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	b := buf.Bytes()
	c.evict(k, int64(len(b))+2*indexAlign)
	col := column{name: "results", elem: 1, data: func() []byte { return b }}
	return c.writeFile(resultsName(k, fingerprint), func(f *os.File) error {
		return writeIndex(f, resultsKey(k, fingerprint), []column{col}, nil)
	})
}
