package heap

import "fmt"

// indexColumns is the one place that knows what an index file holds: every
// column of g's Snapshot and of g itself, by field name. Adding, retyping or
// removing a column of Snapshot or Graph is one line here; the file format,
// checksums and re-open need nothing else (an index written by another
// build is never read: the build is part of its key, see index_key.go).
// TestIndexCoversEveryField fails when a field is missing here.
//
// Not stored: Graph.special, which only NewGraph's passes use, and
// Graph.src, the block table of edge sources; re-open rebuilds both
// (findSpecialStrings, newEdgeSources) so a mapped Graph is a whole one.
func indexColumns(g *Graph) []column {
	s := g.Snapshot
	cols := []column{
		sliceColumn("NodeKinds", &s.NodeKinds),
		sliceColumn("NodeNames", &s.NodeNames),
		sliceColumn("NodeIDs", &s.NodeIDs),
		sliceColumn("SelfSizes", &s.SelfSizes),
		sliceColumn("TraceIDs", &s.TraceIDs),
		sliceColumn("FirstEdge", &s.FirstEdge),
		sliceColumn("Edges", &s.Edges),
		sliceColumn("Strings.Arena", &s.Strings.Arena),
		sliceColumn("Strings.Offsets", &s.Strings.Offsets),
		sliceColumn("Locations", &s.Locations),
		sliceColumn("TraceFunctions", &s.TraceFunctions),
		valueColumn("RootIndex", &s.RootIndex),
		stringColumn("Title", &s.Title),

		sliceColumn("RetainerData", &g.RetainerData),
		valueColumn("Distance.SysBase", &g.Distance.SysBase),
		sliceColumn("moved", &g.moved),
	}
	cols = append(cols, packedColumns("EdgeNames", &s.EdgeNames)...)
	cols = append(cols, packedColumns("Distance.Codes", &g.Distance.Codes)...)
	cols = append(cols, packedColumns("IDom", &g.IDom)...)
	cols = append(cols, packedColumns("dom.pre", &g.dom.pre)...)
	cols = append(cols, packedColumns("dom.end", &g.dom.end)...)
	cols = append(cols, packedColumns("Retained.Low", &g.Retained.Low)...)
	cols = append(cols, packedColumns("RetainerOffset", &g.RetainerOffset)...)
	cols = append(cols, mapColumns("Retained.Big", &g.Retained.Big)...)
	return append(cols, mapColumns("TraceNodes", &s.TraceNodes)...)
}

// packedColumns are the columns of a uintColumn: its bytes, width and
// length, which must agree (checksums catch damage, not a writer's bug).
func packedColumns(name string, c *uintColumn) []column {
	data := sliceColumn(name+".Data", &c.Data)
	data.after = func() error {
		if c.N == 0 && len(c.Data) == 0 {
			return nil
		}
		if c.Bits == 0 || c.Bits > 32 || uint64(len(c.Data)) < (uint64(c.N)*uint64(c.Bits)+7)/8+colPad {
			return fmt.Errorf("%s: %d values of %d bits in %d bytes", name, c.N, c.Bits, len(c.Data))
		}
		return nil
	}
	return []column{
		data,
		valueColumn(name+".Bits", &c.Bits),
		valueColumn(name+".N", &c.N),
	}
}
