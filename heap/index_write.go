package heap

import (
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// blockWriter writes the sections of an index, bypassing the page cache
// where it can (O_DIRECT on Linux). Buffered, writing a 1.3 GB index cost
// 3 s of system time on the 2-core benchmark VM (the kernel allocating and
// filling 330,000 page-cache pages), more than the analysis it saves;
// direct, 0.15 s. The index is then read from disk on its first use, which
// is the rare path: a plain re-open reads only the results file.
type blockWriter struct {
	f        *os.File // buffered: the fallback, and the metadata
	direct   *os.File // nil when direct I/O is not available
	buffered atomic.Bool
	bounce   sync.Pool // *[]byte: aligned copies of unaligned blocks
}

// directAlign is what direct I/O needs of buffer addresses, lengths and
// file offsets (the logical block size is 512 or 4096).
const directAlign = 4096

func newBlockWriter(f *os.File) *blockWriter {
	w := &blockWriter{f: f}
	w.direct = openDirect(f.Name())
	w.buffered.Store(w.direct == nil)
	return w
}

// writeAt writes b at off, which is directAlign-aligned: directly when it
// can, through an aligned copy padded with zeros up to the next multiple
// of directAlign when b is not aligned (a section's last block; sections
// are padded that far in the file anyway).
func (w *blockWriter) writeAt(b []byte, off int64) error {
	if !w.buffered.Load() {
		err := w.writeDirect(b, off)
		if !errors.Is(err, syscall.EINVAL) { // a file system without direct I/O
			return err
		}
		w.buffered.Store(true)
	}
	_, err := w.f.WriteAt(b, off)
	return err
}

func (w *blockWriter) writeDirect(b []byte, off int64) error {
	if uintptr(unsafe.Pointer(unsafe.SliceData(b)))%directAlign == 0 && len(b)%directAlign == 0 {
		_, err := w.direct.WriteAt(b, off)
		return err
	}
	n := (len(b) + directAlign - 1) / directAlign * directAlign
	p, _ := w.bounce.Get().(*[]byte)
	if p == nil || cap(*p) < n {
		p = alignedBytes(indexBlock)
	}
	defer w.bounce.Put(p)
	buf := (*p)[:n]
	clear(buf[copy(buf, b):])
	_, err := w.direct.WriteAt(buf, off)
	return err
}

// alignedBytes allocates n bytes at a directAlign-aligned address.
func alignedBytes(n int) *[]byte {
	raw := make([]byte, n+directAlign)
	skip := (directAlign - int(uintptr(unsafe.Pointer(unsafe.SliceData(raw)))%directAlign)) % directAlign
	b := raw[skip : skip+n]
	return &b
}

func (w *blockWriter) close() error {
	if w.direct != nil {
		return w.direct.Close()
	}
	return nil
}
