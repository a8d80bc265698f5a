package heap

import (
	"fmt"
	"hash/crc32"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// verifySections checks every block of every section against its CRC-32C,
// on all cores. All of it, before anything is used: the index is written
// without fsync (that would cost seconds per GB), so after a crash a file
// can hold zeros or stale blocks under a valid prefix, and a wrong column
// gives wrong results, not an error. The results file, which is what
// makes a plain re-open instant, is small; the graph index is verified
// when a different analysis needs it.
func verifySections(data []byte, secs []indexSection) error {
	var blocks []indexBlockRef
	for si, s := range secs {
		for i := range s.CRCs {
			blocks = append(blocks, indexBlockRef{si, i})
		}
	}
	return forBlocks(blocks, func(r indexBlockRef) error {
		s := secs[r.sec]
		lo := s.Off + int64(r.i)*indexBlock
		hi := min(lo+indexBlock, s.Off+s.Len)
		if crc32.Checksum(data[lo:hi], castagnoli) != s.CRCs[r.i] {
			return fmt.Errorf("%w: checksum mismatch in section %s block %d", errIndexInvalid, s.Name, r.i)
		}
		return nil
	})
}

// indexBlockRef is block i of section sec.
type indexBlockRef struct{ sec, i int }

// forBlocks runs f on every block, on all cores, and returns the first
// error; after one, the remaining blocks are skipped. A fault reading a
// mapped file cut short by someone else is an error too.
func forBlocks(blocks []indexBlockRef, f func(indexBlockRef) error) error {
	var next atomic.Int64
	var first atomic.Pointer[error]
	fail := func(err error) { first.CompareAndSwap(nil, &err) }
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(blocks), 1)) {
		wg.Go(func() {
			defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
			defer func() {
				if p := recover(); p != nil {
					fail(fmt.Errorf("%w: %v", errIndexInvalid, p))
				}
			}()
			for first.Load() == nil {
				n := int(next.Add(1) - 1)
				if n >= len(blocks) {
					return
				}
				if err := f(blocks[n]); err != nil {
					fail(err)
				}
			}
		})
	}
	wg.Wait()
	if p := first.Load(); p != nil {
		return *p
	}
	return nil
}

// bindColumns points every column at its section of data. The file must
// have exactly the table's columns with the same element sizes.
func bindColumns(cols []column, secs []indexSection, data []byte) error {
	byName := make(map[string]indexSection, len(secs))
	for _, s := range secs {
		byName[s.Name] = s
	}
	if len(byName) != len(cols) || len(secs) != len(cols) {
		return fmt.Errorf("%w: %d sections, want the %d columns", errIndexInvalid, len(secs), len(cols))
	}
	for _, c := range cols {
		s, ok := byName[c.name]
		if !ok || s.Elem != c.elem {
			return fmt.Errorf("%w: no section %s of %d-byte elements", errIndexInvalid, c.name, c.elem)
		}
		if err := c.bind(data[s.Off : s.Off+s.Len]); err != nil {
			return fmt.Errorf("%w: %v", errIndexInvalid, err)
		}
	}
	for _, c := range cols {
		if c.after != nil {
			if err := c.after(); err != nil {
				return fmt.Errorf("%w: %v", errIndexInvalid, err)
			}
		}
	}
	return nil
}
