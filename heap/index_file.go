package heap

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
)

// An index file is
//
//	prefix (32 bytes): magic, format version, byte-order mark, offset,
//	                   length and CRC-32C of the metadata
//	sections, each at an indexAlign-aligned offset, in the table's order
//	metadata (JSON): the key, and per section its name,
//	                 element size, offset, length and the CRC-32C of each
//	                 indexBlock-sized block
//
// The metadata comes last because the checksums are known only once the
// sections are written; the prefix is written last of all, so a file cut
// anywhere has no valid prefix. Sections are in the machine's byte order
// (the mark rejects a file from another one) and page-aligned, so they can
// be used in place from a memory mapping whatever their element type.
const (
	indexMagic   = "LEAKLSPX"
	indexVersion = 5
	indexPrefix  = 32
	indexAlign   = 4096
	indexBlock   = 16 << 20 // checksum granularity: the unit of parallel verification
	orderMark    = 0x01020304
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli) // hardware-accelerated on amd64 and arm64

// errIndexInvalid wraps every reason an index file is not used.
var errIndexInvalid = errors.New("invalid index")

type indexMeta struct {
	Key      string         `json:"key"`
	Sections []indexSection `json:"sections"`
}

type indexSection struct {
	Name string   `json:"name"`
	Elem int      `json:"elem"`
	Off  int64    `json:"off"`
	Len  int64    `json:"len"`
	CRCs []uint32 `json:"crcs"` // one per indexBlock of the section
}

// writeIndex writes key and cols to f (empty) on all cores: the layout is
// known from the columns' lengths, so every block goes to its offset,
// checksummed while it is in cache (index_write.go says how it is
// written). cancel, when closed, stops it between blocks with ErrCanceled.
func writeIndex(f *os.File, key string, cols []column, cancel <-chan struct{}) error {
	w := newBlockWriter(f)
	defer w.close()
	meta := indexMeta{Key: key, Sections: make([]indexSection, len(cols))}
	datas := make([][]byte, len(cols))
	var blocks []indexBlockRef
	off := int64(indexAlign) // after the prefix's page
	for i, c := range cols {
		datas[i] = c.data()
		n := int64(len(datas[i]))
		meta.Sections[i] = indexSection{Name: c.name, Elem: c.elem, Off: off, Len: n, CRCs: make([]uint32, (n+indexBlock-1)/indexBlock)}
		for b := range meta.Sections[i].CRCs {
			blocks = append(blocks, indexBlockRef{i, b})
		}
		off += (n + indexAlign - 1) / indexAlign * indexAlign
	}
	err := forBlocks(blocks, func(r indexBlockRef) error {
		select {
		case <-cancel: // a nil channel never fires
			return ErrCanceled
		default:
		}
		s := &meta.Sections[r.sec]
		lo := int64(r.i) * indexBlock
		blk := datas[r.sec][lo:min(lo+indexBlock, s.Len)]
		s.CRCs[r.i] = crc32.Checksum(blk, castagnoli) // each block its own slot: no race
		return w.writeAt(blk, s.Off+lo)
	})
	if err != nil {
		return err
	}
	mj, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	if _, err := f.WriteAt(mj, off); err != nil {
		return err
	}
	return writePrefix(f, off, mj)
}

func writePrefix(f *os.File, metaOff int64, mj []byte) error {
	var p [indexPrefix]byte
	copy(p[:8], indexMagic)
	binary.LittleEndian.PutUint32(p[8:], indexVersion)
	binary.NativeEndian.PutUint32(p[12:], orderMark)
	binary.LittleEndian.PutUint64(p[16:], uint64(metaOff))
	binary.LittleEndian.PutUint32(p[24:], uint32(len(mj)))
	binary.LittleEndian.PutUint32(p[28:], crc32.Checksum(mj, castagnoli))
	_, err := f.WriteAt(p[:], 0)
	return err
}

// readIndexMeta reads and checks the prefix and metadata of an index file
// of the given size: everything but the sections' contents.
func readIndexMeta(r io.ReaderAt, size int64, key string) (*indexMeta, error) {
	var p [indexPrefix]byte
	if _, err := r.ReadAt(p[:], 0); err != nil {
		return nil, fmt.Errorf("%w: prefix: %v", errIndexInvalid, err)
	}
	switch {
	case string(p[:8]) != indexMagic:
		return nil, fmt.Errorf("%w: bad magic", errIndexInvalid)
	case binary.LittleEndian.Uint32(p[8:]) != indexVersion:
		return nil, fmt.Errorf("%w: format version %d, want %d", errIndexInvalid, binary.LittleEndian.Uint32(p[8:]), indexVersion)
	case binary.NativeEndian.Uint32(p[12:]) != orderMark:
		return nil, fmt.Errorf("%w: another byte order", errIndexInvalid)
	}
	metaOff, metaLen := int64(binary.LittleEndian.Uint64(p[16:])), int64(binary.LittleEndian.Uint32(p[24:]))
	if metaOff < indexAlign || metaOff > size || metaLen != size-metaOff {
		return nil, fmt.Errorf("%w: metadata at %d+%d in a file of %d bytes", errIndexInvalid, metaOff, metaLen, size)
	}
	mj := make([]byte, metaLen)
	if _, err := r.ReadAt(mj, metaOff); err != nil {
		return nil, fmt.Errorf("%w: metadata: %v", errIndexInvalid, err)
	}
	if crc32.Checksum(mj, castagnoli) != binary.LittleEndian.Uint32(p[28:]) {
		return nil, fmt.Errorf("%w: metadata checksum", errIndexInvalid)
	}
	var m indexMeta
	if err := json.Unmarshal(mj, &m); err != nil {
		return nil, fmt.Errorf("%w: metadata: %v", errIndexInvalid, err)
	}
	if m.Key != key {
		return nil, fmt.Errorf("%w: written for another snapshot or build", errIndexInvalid)
	}
	return &m, m.checkLayout(metaOff)
}

// checkLayout checks that the sections are aligned, in bounds, whole
// elements, and have one checksum per block, so that binding and
// verifying them cannot go out of range.
func (m *indexMeta) checkLayout(metaOff int64) error {
	for _, s := range m.Sections {
		blocks := (s.Len + indexBlock - 1) / indexBlock
		switch {
		case s.Elem <= 0 || s.Len < 0 || s.Len%int64(s.Elem) != 0:
			return fmt.Errorf("%w: section %s: %d bytes of %d-byte elements", errIndexInvalid, s.Name, s.Len, s.Elem)
		case s.Off < indexAlign || s.Off%indexAlign != 0 || s.Off > metaOff || s.Len > metaOff-s.Off:
			return fmt.Errorf("%w: section %s at %d+%d", errIndexInvalid, s.Name, s.Off, s.Len)
		case int64(len(s.CRCs)) != blocks:
			return fmt.Errorf("%w: section %s: %d checksums for %d blocks", errIndexInvalid, s.Name, len(s.CRCs), blocks)
		}
	}
	return nil
}
