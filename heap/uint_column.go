package heap

import (
	"encoding/binary"
	"math/bits"
	"unsafe"

	"github.com/leaklsp/leaklsp/internal/hugepage"
)

// uintColumn holds unsigned 32-bit values in Bits bits each, the fewest
// that hold the largest value it was made for. Edge names (string and
// element indexes), node ordinals and preorder numbers need 12 to 28 bits,
// not 32: at 10-70 M nodes and 40-200 M edges every bit a value saves is
// megabytes of the peak memory (issue #12's bar is 1.0x the file).
//
// A value is read with one unaligned 8-byte load, a shift and a mask; the
// data ends with 8 bytes of padding so that the load never runs past it.
// Writes (set) read-modify-write those 8 bytes: one goroutine at a time.
type uintColumn struct {
	Data []byte // Bits bits per value, little-endian, then padding
	Bits uint32 // 1..32; 0 for an empty column
	N    uint32 // number of values
}

// colPad is the padding after the packed bits.
const colPad = 8

// bitsFor is the width that holds every value up to top (at least 1).
// Widths of whole bytes (24 bits for up to 16 M nodes) take a faster
// path in At and set: a plain load, and stores that do not read their
// neighbours back.
func bitsFor(top uint32) uint32 { return uint32(max(bits.Len32(top), 1)) }

// newUintColumn returns a column of n zeros, each wide enough for top.
func newUintColumn(n int, top uint32) uintColumn {
	w := bitsFor(top)
	size := (uint64(n)*uint64(w)+7)/8 + colPad
	data := makeColumn[byte](int(size), int(size))
	if size >= hugeMin {
		// Every value gets written (the dominator steps' scratch, the
		// retained sizes): fault the pages in on the idle core meanwhile.
		go hugepage.Populate(unsafe.Pointer(unsafe.SliceData(data)), uintptr(size))
	}
	return uintColumn{Data: data, Bits: w, N: uint32(n)}
}

// packUints stores v (whose largest value is top) in a uintColumn.
func packUints(v []uint32, top uint32) uintColumn {
	c := newUintColumn(len(v), top)
	packBits(c.Data, v, c.Bits)
	return c
}

// packUintsInPlace is packUints over v's own memory, which the caller gives
// up: no second column is faulted in (on the benchmark VM the kernel
// clearing fresh pages is a third of a load), and the pages past the
// packed bits leave the resident set at once. v needs room for the
// padding: cap(v) >= len(v)+2 (see packRoom); otherwise it is copied.
func packUintsInPlace(v []uint32, top uint32) uintColumn {
	if cap(v) < packRoom(len(v)) {
		return packUints(v, top)
	}
	w := bitsFor(top)
	size := (uint64(len(v))*uint64(w)+7)/8 + colPad
	all := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), 4*cap(v))
	end := packBits(all, v, w)
	clear(all[end:size]) // the padding: old values otherwise, zeros in packUints
	discard(all[size:])
	return uintColumn{Data: all[:size:size], Bits: w, N: uint32(len(v))}
}

// packRoom is the capacity a column of n values needs to be packed in
// place: 32-bit values keep their 4 bytes, and the padding follows.
func packRoom(n int) int { return n + colPad/4 }

// packBits streams the low w bits of each value of v into dst, 32 at a
// time: no read-modify-write per value, and returns the end of what it
// wrote. dst may be v's own memory: after reading value i it has written
// at most i+1 words, which hold values already read.
func packBits(dst []byte, v []uint32, w uint32) int {
	var acc uint64 // pending bits, the oldest lowest
	var have uint32
	pos := 0
	for _, x := range v {
		acc |= uint64(x) << have
		if have += w; have >= 32 {
			binary.LittleEndian.PutUint32(dst[pos:], uint32(acc))
			acc >>= 32
			have -= 32
			pos += 4
		}
	}
	binary.LittleEndian.PutUint64(dst[pos:], acc) // the rest, into the padding at worst
	return pos + 8
}

// uintsOf is packUints for a column built whole (tests).
func uintsOf(v []uint32) uintColumn {
	var mx uint32
	for _, x := range v {
		mx = max(mx, x)
	}
	return packUints(v, mx)
}

// At returns value i.
func (c *uintColumn) At(i uint32) uint32 {
	if c.Bits&7 == 0 { // whole bytes: one load, no shift
		o := uint(i) * uint(c.Bits>>3)
		return binary.LittleEndian.Uint32(c.Data[o:o+4]) & (^uint32(0) >> (32 - c.Bits))
	}
	b := uint(i) * uint(c.Bits)
	o := b >> 3
	x := binary.LittleEndian.Uint64(c.Data[o : o+8])
	return uint32(x>>(b&7)) & (^uint32(0) >> (32 - c.Bits))
}

// set stores x (which must fit in Bits bits) as value i.
func (c *uintColumn) set(i, x uint32) {
	if c.Bits&7 == 0 { // whole bytes: stores only, no read of the neighbours
		o := uint(i) * uint(c.Bits>>3)
		p := c.Data[o : o+4]
		switch c.Bits {
		case 32:
			binary.LittleEndian.PutUint32(p, x)
		case 24:
			binary.LittleEndian.PutUint16(p, uint16(x))
			p[2] = byte(x >> 16)
		case 16:
			binary.LittleEndian.PutUint16(p, uint16(x))
		default:
			p[0] = byte(x)
		}
		return
	}
	b := uint(i) * uint(c.Bits)
	o := b >> 3
	p := c.Data[o : o+8]
	mask := uint64(^uint32(0)>>(32-c.Bits)) << (b & 7)
	old := binary.LittleEndian.Uint64(p)
	binary.LittleEndian.PutUint64(p, old&^mask|uint64(x)<<(b&7))
}

// Len returns the number of values.
func (c *uintColumn) Len() int { return int(c.N) }
