package heap

import (
	"bytes"
	"errors"
	"fmt"
	"os"
)

var (
	// errIndexTooBig: a graph index larger than the whole cache is not written.
	errIndexTooBig = errors.New("index larger than the cache's bound")
	// errDiskFull: nor one that would leave less than diskReserve free.
	errDiskFull = errors.New("not enough free disk for the index")
)

// diskReserve is the free space a graph index must leave on its disk: an
// index is a cache, it must not be what fills the disk.
const diskReserve = 1 << 30

func graphKey(k indexKey) string { return k.canon + "contents=graph\n" }

// storeGraph writes g's index under k, evicting older files to make room.
func (c *IndexCache) storeGraph(k indexKey, g *Graph, cancel <-chan struct{}) error {
	cols := indexColumns(g)
	size := int64(2 * indexAlign) // prefix and metadata
	for _, col := range cols {
		size += (int64(len(col.data())) + indexAlign - 1) / indexAlign * indexAlign
	}
	if size > c.max {
		return fmt.Errorf("%w: %d > %d bytes (LEAKLSP_INDEX_MAX)", errIndexTooBig, size, c.max)
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return err
	}
	c.evict(k, size)
	if free, ok := freeBytes(c.dir); ok && free < size+diskReserve {
		return fmt.Errorf("%w: %d bytes free in %s", errDiskFull, free, c.dir)
	}
	return c.writeFile(k.stem+graphExt, func(f *os.File) error {
		return writeIndex(f, graphKey(k), cols, cancel)
	})
}

// openGraph maps k's graph index and returns the Graph over it, after
// checking every checksum; release unmaps it, after which nothing of the
// Graph may be used. Reading the mapping can fault (the file cut by
// someone else): call it, and use the Graph, under debug.SetPanicOnFault.
func (c *IndexCache) openGraph(k indexKey) (g *Graph, release func(), err error) {
	name := k.stem + graphExt
	f, err := os.Open(c.file(name))
	if err != nil {
		return nil, nil, err
	}
	defer f.Close() // the mapping outlives the descriptor
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	data, unmap, err := mapFile(f, fi.Size())
	if err != nil {
		return nil, nil, err
	}
	ok := false
	defer func() { // also when reading the mapping faults
		if !ok {
			_ = unmap()
		}
	}()
	if g, err = parseGraphIndex(data, graphKey(k)); err != nil {
		return nil, nil, err
	}
	c.touch(name)
	ok = true
	return g, func() { _ = unmap() }, nil
}

// parseGraphIndex checks an index file's bytes and returns the Graph over
// them (sharing their memory).
func parseGraphIndex(data []byte, key string) (*Graph, error) {
	meta, err := readIndexMeta(bytes.NewReader(data), int64(len(data)), key)
	if err != nil {
		return nil, err
	}
	if err := verifySections(data, meta.Sections); err != nil {
		return nil, err
	}
	g := &Graph{Snapshot: &Snapshot{}}
	if err := bindColumns(indexColumns(g), meta.Sections, data); err != nil {
		return nil, err
	}
	g.special = findSpecialStrings(g.Snapshot)
	g.src = newEdgeSources(g.FirstEdge)
	return g, nil
}
