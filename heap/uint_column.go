package heap

import "encoding/binary"

// uintColumn holds unsigned 32-bit values in 3 bytes each when they all
// fit in 24 bits, else in 4 (little-endian). Edge names are string
// indexes and element indexes, below 2^24 in all but giant snapshots: a
// byte per edge less than a []uint32.
type uintColumn struct {
	Data  []byte // Width bytes per value, then 4-Width bytes of padding
	Width uint32 // 3 or 4; 0 for an empty column
}

// packUints stores v (whose largest value is max) in a uintColumn.
func packUints(v []uint32, max uint32) uintColumn {
	w := uint32(4)
	if max < 1<<24 {
		w = 3
	}
	data := makeColumn[byte](len(v)*int(w)+int(4-w), len(v)*int(w)+int(4-w))
	for i, x := range v {
		binary.LittleEndian.PutUint32(data[i*int(w):], x) // the next value overwrites the 4th byte
	}
	return uintColumn{Data: data, Width: w}
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
	off := uint(i) * uint(c.Width)
	x := binary.LittleEndian.Uint32(c.Data[off : off+4])
	return x & (^uint32(0) >> (32 - 8*c.Width))
}

// Len returns the number of values.
func (c *uintColumn) Len() int {
	if c.Width == 0 {
		return 0
	}
	return (len(c.Data) - int(4-c.Width)) / int(c.Width)
}
