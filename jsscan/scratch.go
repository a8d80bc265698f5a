package jsscan

import "sync"

// scratch holds a file's token and node lists for the next file: they
// are a few times the file's size. Allocated per file, they were a third
// of the bytes a scan allocates, and so a third of its garbage-collection
// work. A sync.Pool did not keep them: the pool is emptied at every
// collection, which came about once per file of a few hundred KB.
//
// ScanDir's workers each own one for the whole scan; Scan takes one from
// a short list of spares.
type scratch struct {
	toks, orig []token
	nodes      []node
	used       int // nodes set since the last clear
	keep       int // the largest lists (in tokens) kept for the next file
}

// workerKeep: a ScanDir worker keeps lists for files up to ~1.3 MB
// (256 Ki tokens: 16 MB of lists) for the length of the scan; bigger
// bundles get lists of their own, dropped after them.
const workerKeep = 1 << 18

// spareKeep and spareMax bound what Scan keeps between calls for the life
// of the process (a language server): lists for files up to ~300 KB, and
// as many as can be in use at once in an editor session.
const (
	spareKeep = 1 << 16
	spareMax  = 4
)

var spares struct {
	sync.Mutex
	list []*scratch
}

func takeScratch() *scratch {
	spares.Lock()
	defer spares.Unlock()
	if n := len(spares.list); n > 0 {
		sc := spares.list[n-1]
		spares.list = spares.list[:n-1]
		return sc
	}
	return &scratch{keep: spareKeep}
}

// give returns sc to the spares.
func (sc *scratch) give() {
	spares.Lock()
	defer spares.Unlock()
	if len(spares.list) < spareMax {
		spares.list = append(spares.list, sc)
	}
}

// clear readies sc for the next file. Nodes point into the syntax tree:
// they are cleared so that the lists do not keep the last file's tree
// alive; lists longer than keep are dropped.
func (sc *scratch) clear() {
	clear(sc.nodes[:sc.used])
	sc.used = 0
	if cap(sc.toks) > sc.keep || cap(sc.orig) > sc.keep || cap(sc.nodes) > sc.keep+sc.keep/16+16 {
		sc.toks, sc.orig, sc.nodes = nil, nil, nil
	}
}
