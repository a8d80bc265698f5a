package heap

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"unsafe"
)

// column is one section of an index file: a Go value whose memory is
// written as it is and, on re-open, pointed at the mapped file. The helpers
// below make one for a slice, a scalar, a string or a map, so that the
// table in index_columns.go says each column in one line whatever its type.
type column struct {
	name string
	typ  reflect.Type // element type, for the pointer-free check in tests
	elem int          // element size in bytes, recorded and checked on re-open
	// data returns the column's bytes for writing (nil for an empty one).
	data func() []byte
	// bind makes the column refer to b, which is elem-aligned and a
	// multiple of elem long (checked before).
	bind func(b []byte) error
	// after, if set, runs once every column is bound (a map is rebuilt
	// from its key and value columns).
	after func() error
}

// bytesOf views a pointer-free slice as its bytes, without copying.
func bytesOf[T any](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(s[0])))
}

// sliceOf views b as a []T, without copying; b must be aligned for T.
func sliceOf[T any](b []byte) []T {
	var zero T
	n := len(b) / int(unsafe.Sizeof(zero))
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), n)
}

// sliceColumn is a column over *p, e.g. a Snapshot's NodeIDs. T must hold
// no pointers (TestIndexColumnsPointerFree checks the table).
func sliceColumn[T any](name string, p *[]T) column {
	var zero T
	return column{
		name: name,
		typ:  reflect.TypeFor[T](),
		elem: int(unsafe.Sizeof(zero)),
		data: func() []byte { return bytesOf(*p) },
		bind: func(b []byte) error { *p = sliceOf[T](b); return nil },
	}
}

// valueColumn is a one-element column holding *p (RootIndex). Unlike a
// slice it is copied out of the mapping.
func valueColumn[T any](name string, p *T) column {
	var zero T
	return column{
		name: name,
		typ:  reflect.TypeFor[T](),
		elem: int(unsafe.Sizeof(zero)),
		data: func() []byte { return bytesOf(unsafe.Slice(p, 1)) },
		bind: func(b []byte) error {
			v := sliceOf[T](b)
			if len(v) != 1 {
				return fmt.Errorf("%s: %d values, want 1", name, len(v))
			}
			*p = v[0]
			return nil
		},
	}
}

// stringColumn holds a string (Title), copied out of the mapping.
func stringColumn(name string, p *string) column {
	return column{
		name: name,
		typ:  reflect.TypeFor[byte](),
		elem: 1,
		data: func() []byte { return unsafe.Slice(unsafe.StringData(*p), len(*p)) },
		bind: func(b []byte) error { *p = string(b); return nil },
	}
}

// mapColumns holds a map (TraceNodes) as two columns, its keys in order
// and their values; re-open rebuilds the map, so it is copied too.
func mapColumns[K cmp.Ordered, V any](name string, p *map[K]V) []column {
	var keys []K
	var vals []V
	kc, vc := sliceColumn(name+".keys", &keys), sliceColumn(name+".values", &vals)
	kc.data = func() []byte { // the values follow in the same order
		keys = slices.Sorted(func(yield func(K) bool) {
			for k := range *p {
				if !yield(k) {
					return
				}
			}
		})
		vals = make([]V, len(keys))
		for i, k := range keys {
			vals[i] = (*p)[k]
		}
		return bytesOf(keys)
	}
	vc.after = func() error {
		if len(keys) != len(vals) {
			return fmt.Errorf("%s: %d keys, %d values", name, len(keys), len(vals))
		}
		*p = nil
		if len(keys) > 0 {
			*p = make(map[K]V, len(keys))
			for i, k := range keys {
				(*p)[k] = vals[i]
			}
		}
		keys, vals = nil, nil
		return nil
	}
	return []column{kc, vc}
}
