package heap

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
		sliceColumn("EdgeNames.Data", &s.EdgeNames.Data),
		valueColumn("EdgeNames.Bits", &s.EdgeNames.Bits),
		valueColumn("EdgeNames.N", &s.EdgeNames.N),
		sliceColumn("Edges", &s.Edges),
		sliceColumn("Strings.Arena", &s.Strings.Arena),
		sliceColumn("Strings.Offsets", &s.Strings.Offsets),
		sliceColumn("Locations", &s.Locations),
		sliceColumn("TraceFunctions", &s.TraceFunctions),
		valueColumn("RootIndex", &s.RootIndex),
		stringColumn("Title", &s.Title),

		sliceColumn("RetainerOffset", &g.RetainerOffset),
		sliceColumn("RetainerData", &g.RetainerData),
		sliceColumn("Distance", &g.Distance),
		sliceColumn("IDom", &g.IDom),
		sliceColumn("Shallow", &g.Shallow),
		sliceColumn("Retained.Low", &g.Retained.Low),
		sliceColumn("dom.pre", &g.dom.pre),
		sliceColumn("dom.end", &g.dom.end),
	}
	cols = append(cols, mapColumns("Retained.Big", &g.Retained.Big)...)
	return append(cols, mapColumns("TraceNodes", &s.TraceNodes)...)
}
