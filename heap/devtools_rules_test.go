package heap

import (
	"slices"
	"testing"
)

// The DevTools rules on small hand-made graphs, with expectations worked out
// by hand from the rules (docs/sizes.md); TestDevToolsParity checks the same
// against DevTools itself on real snapshots.

// graphBuilder makes a Snapshot node by node; node 0 is the root.
type graphBuilder struct {
	s     Snapshot
	names map[string]uint32
	edges [][]struct {
		kind     EdgeKind
		name, to uint32
	}
}

func newGraphBuilder() *graphBuilder {
	b := &graphBuilder{names: map[string]uint32{}}
	b.s.Strings.Offsets = []uint64{0}
	b.node(NodeSynthetic, "", 0)
	return b
}

func (b *graphBuilder) str(s string) uint32 {
	if i, ok := b.names[s]; ok {
		return i
	}
	b.s.Strings.Arena = append(b.s.Strings.Arena, s...)
	b.s.Strings.Offsets = append(b.s.Strings.Offsets, uint64(len(b.s.Strings.Arena)))
	b.names[s] = uint32(len(b.names))
	return b.names[s]
}

// node adds a node (id 2*ordinal+1) and returns its ordinal.
func (b *graphBuilder) node(kind NodeKind, name string, size uint32) uint32 {
	v := uint32(len(b.s.NodeKinds))
	b.s.NodeKinds = append(b.s.NodeKinds, kind)
	b.s.NodeNames = append(b.s.NodeNames, b.str(name))
	b.s.NodeIDs = append(b.s.NodeIDs, 2*v+1)
	b.s.SelfSizes = append(b.s.SelfSizes, size)
	b.s.TraceIDs = append(b.s.TraceIDs, 0)
	b.edges = append(b.edges, nil)
	return v
}

// edge adds a named edge (element and hidden edges: name is the index).
func (b *graphBuilder) edge(from uint32, kind EdgeKind, name string, to uint32) {
	n := uint32(0)
	if kind != EdgeElement && kind != EdgeHidden {
		n = b.str(name)
	}
	b.edges[from] = append(b.edges[from], struct {
		kind     EdgeKind
		name, to uint32
	}{kind, n, to})
}

func (b *graphBuilder) graph() *Graph {
	s := &b.s
	var names []uint32
	for _, es := range b.edges {
		s.FirstEdge = append(s.FirstEdge, uint32(len(s.Edges)))
		for _, e := range es {
			names = append(names, e.name)
			s.Edges = append(s.Edges, packEdge(e.to, e.kind))
		}
	}
	s.FirstEdge = append(s.FirstEdge, uint32(len(s.Edges)))
	s.EdgeNames = uintsOf(names)
	return NewGraph(s)
}

// nodeGraph is a Node-like skeleton: root -shortcut-> global and
// root -element-> (GC roots) -element-> (Global handles).
func nodeGraph() (b *graphBuilder, global, handles uint32) {
	b = newGraphBuilder()
	global = b.node(NodeObject, "global", 10)
	gcRoots := b.node(NodeSynthetic, "(GC roots)", 0)
	handles = b.node(NodeSynthetic, "(Global handles)", 0)
	b.edge(0, EdgeShortcut, "global", global)
	b.edge(0, EdgeElement, "", gcRoots)
	b.edge(gcRoots, EdgeElement, "", handles)
	b.edge(handles, EdgeElement, "", global)
	return b, global, handles
}

// An object reachable from global and from a global handle is dominated by
// its holder in the program (the handle's edge does not count); one only a
// handle holds is dominated by the handle.
func TestPageOwnedEdges(t *testing.T) {
	b, global, handles := nodeGraph()
	holder := b.node(NodeObject, "Holder", 20)
	both := b.node(NodeObject, "Both", 30)
	onlyHandle := b.node(NodeObject, "OnlyHandle", 40)
	b.edge(global, EdgeProperty, "holder", holder)
	b.edge(holder, EdgeProperty, "x", both)
	b.edge(handles, EdgeElement, "", both)
	b.edge(handles, EdgeElement, "", onlyHandle)
	g := b.graph()
	if g.IDom.At(both) != holder {
		t.Errorf("IDom[Both] = %s, want Holder (the handle's edge into a page-owned node does not retain)", nodeLabel(g, g.IDom.At(both)))
	}
	if g.Retained.At(holder) != 50 {
		t.Errorf("Retained[Holder] = %d, want 50 (itself and Both)", g.Retained.At(holder))
	}
	if g.IDom.At(onlyHandle) != handles {
		t.Errorf("IDom[OnlyHandle] = %s, want (Global handles) (not page-owned: its edge counts)", nodeLabel(g, g.IDom.At(onlyHandle)))
	}
	if g.IDom.At(global) != 0 {
		t.Errorf("IDom[global] = %s, want the root", nodeLabel(g, g.IDom.At(global)))
	}
}

// Backing stores with one owner move their bytes into it; shared ones, ones
// the root holds and all of them without user roots keep theirs.
func TestShallowSizes(t *testing.T) {
	b, global, _ := nodeGraph()
	obj := b.node(NodeObject, "Obj", 16)
	props := b.node(NodeHidden, "system / PropertyArray", 40)
	elems := b.node(NodeArray, "(object elements)", 24)
	inner := b.node(NodeHidden, "system / Inner", 8) // owned through props
	shared := b.node(NodeArray, "(shared)", 100)
	other := b.node(NodeObject, "Other", 4)
	rootArr := b.node(NodeArray, "(root array)", 12)
	weakArr := b.node(NodeArray, "(weakly held)", 6)
	b.edge(global, EdgeProperty, "obj", obj)
	b.edge(global, EdgeProperty, "other", other)
	b.edge(obj, EdgeInternal, "properties", props)
	b.edge(obj, EdgeInternal, "elements", elems)
	b.edge(props, EdgeHidden, "", inner)
	b.edge(obj, EdgeProperty, "s", shared)
	b.edge(other, EdgeProperty, "s", shared)
	b.edge(0, EdgeElement, "", rootArr)
	b.edge(other, EdgeWeak, "w", weakArr) // weak: no owner
	g := b.graph()
	want := map[uint32]uint32{obj: 16 + 40 + 24 + 8, props: 0, elems: 0, inner: 0, shared: 100, other: 4, rootArr: 12, weakArr: 6}
	for v, w := range want {
		if g.ShallowSize(v) != w {
			t.Errorf("Shallow[%s] = %d, want %d", g.Name(v), g.ShallowSize(v), w)
		}
	}
	if g.SelfSizes[props] != 40 {
		t.Errorf("SelfSizes[props] = %d, want V8's 40 (untouched)", g.SelfSizes[props])
	}
	if g.Retained.At(obj) != 88 {
		t.Errorf("Retained[Obj] = %d, want 88 (shared is not dominated)", g.Retained.At(obj))
	}

	// No user root (internals exposed): nothing moves.
	b = newGraphBuilder()
	o := b.node(NodeObject, "Obj", 16)
	p := b.node(NodeHidden, "system / PropertyArray", 40)
	gc := b.node(NodeSynthetic, "(GC roots)", 0)
	b.edge(0, EdgeElement, "", gc)
	b.edge(gc, EdgeElement, "", o)
	b.edge(o, EdgeInternal, "properties", p)
	g = b.graph()
	if g.ShallowSize(o) != 16 || g.ShallowSize(p) != 40 {
		t.Errorf("without user roots: Shallow = %d, %d, want 16, 40", g.ShallowSize(o), g.ShallowSize(p))
	}
}

// An owner with more moved nodes than ShallowSize's short list, each
// reached twice (an array and a hidden node pointing at the same stores),
// counts each once: the list and the map it spills into dedupe alike.
func TestShallowSizeManyOwned(t *testing.T) {
	for _, stores := range []int{3, 40} {
		b, global, _ := nodeGraph()
		obj := b.node(NodeObject, "Obj", 16)
		arr := b.node(NodeArray, "(object elements)", 8)
		hid := b.node(NodeHidden, "system / Meta", 4)
		b.edge(global, EdgeProperty, "obj", obj)
		b.edge(obj, EdgeInternal, "elements", arr)
		b.edge(obj, EdgeInternal, "meta", hid)
		want := uint32(16 + 8 + 4)
		for i := range stores {
			st := b.node(NodeArray, "(store)", uint32(100+i))
			b.edge(arr, EdgeElement, "", st)
			b.edge(hid, EdgeHidden, "", st)
			want += uint32(100 + i)
		}
		g := b.graph()
		if got := g.ShallowSize(obj); got != want {
			t.Errorf("%d stores: Shallow[Obj] = %d, want %d (each store once)", stores, got, want)
		}
		if got := g.Retained.At(obj); got != uint64(want) {
			t.Errorf("%d stores: Retained[Obj] = %d, want %d", stores, got, want)
		}
	}
}

// A WeakMap value is as far as the later of its key and its table, and is
// dominated by its key.
func TestWeakMapValue(t *testing.T) {
	b, global, _ := nodeGraph()
	key := b.node(NodeObject, "Key", 10)
	a := b.node(NodeObject, "A", 10)
	table := b.node(NodeArray, "system / EphemeronHashTable", 10)
	value := b.node(NodeObject, "Value", 10)
	plain := b.node(NodeObject, "Plain", 10)
	pair := " / part of key (Key @9) -> value (Value @15) pair in WeakMap (table @13)"
	b.edge(global, EdgeProperty, "key", key)
	b.edge(global, EdgeProperty, "a", a)
	b.edge(a, EdgeProperty, "table", table)
	b.edge(key, EdgeInternal, "1"+pair, value)
	b.edge(table, EdgeInternal, "2"+pair, value)
	b.edge(key, EdgeProperty, "plain", plain)
	g := b.graph()
	if g.NodeIDs[table] != 13 || g.NodeIDs[value] != 15 {
		t.Fatalf("ids: table @%d, value @%d; the edge names assume @13 and @15", g.NodeIDs[table], g.NodeIDs[value])
	}
	got := []int32{g.Distance.At(key), g.Distance.At(table), g.Distance.At(value), g.Distance.At(plain)}
	if want := []int32{2, 3, 4, 3}; !slices.Equal(got, want) {
		t.Errorf("distances key, table, value, plain = %v, want %v (value after the table, plain after the key)", got, want)
	}
	if g.IDom.At(value) != key {
		t.Errorf("IDom[Value] = %s, want Key (the table's edge does not retain)", nodeLabel(g, g.IDom.At(value)))
	}
}

// nodeLabel names a node for a failure message: its name and id.
func nodeLabel(g *Graph, v uint32) string {
	if v == g.RootIndex {
		return "the root"
	}
	return g.Name(v) + " @" + uitoa(g.NodeIDs[v])
}

// Distances along retention chains 70 k deep, from global and from a
// system root, are exact: the codes outgrow 16 bits.
func TestDeepDistances(t *testing.T) {
	for _, depth := range []int{10, 70_000} {
		b, global, handles := nodeGraph()
		user, sys := global, handles
		var users, syss []uint32
		for range depth {
			u := b.node(NodeObject, "Link", 8)
			b.edge(user, EdgeProperty, "next", u)
			user = u
			users = append(users, u)
			s := b.node(NodeObject, "SysLink", 8)
			b.edge(sys, EdgeInternal, "next", s)
			sys = s
			syss = append(syss, s)
		}
		g := b.graph()
		for i := range depth {
			if d := g.Distance.At(users[i]); d != int32(i+2) {
				t.Fatalf("depth %d: user link %d at %d, want %d", depth, i, d, i+2)
			}
			// (GC roots) is at SystemDistance+1, the handles at +2.
			if d := g.Distance.At(syss[i]); d != SystemDistance+int32(i+3) {
				t.Fatalf("depth %d: system link %d at %d, want SystemDistance+%d", depth, i, d, i+3)
			}
		}
		if d := g.Distance.At(0); d != SystemDistance {
			t.Errorf("depth %d: root at %d, want SystemDistance", depth, d)
		}
	}
}
