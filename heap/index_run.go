package heap

import (
	"errors"
	"fmt"
	"io/fs"
	"runtime/debug"
	"sync"
)

// CachedRun computes a result from a snapshot's graph through an
// IndexCache. Run takes the cheapest way that gives the same result:
//
//  1. the results file written by an earlier run with the same snapshot,
//     baseline, Fingerprint and build: no parsing, no analysis;
//  2. the graph index of the snapshot: Compute on the mapped graph;
//  3. Parse, NewGraph and Compute, then write the results for the next
//     time; the graph index is written by the flush function Run returns,
//     which the caller calls once it has delivered the result: writing
//     1.3 GB for an 850 MB snapshot costs seconds of system time on a
//     small VM, which the user should not wait for.
//
// Anything wrong with a cached file (damaged, cut, stale, another build)
// makes Run take the next way, so the result is always Compute's on the
// snapshot as it is now.
type CachedRun[T any] struct {
	// Path is the snapshot file.
	Path string
	// Fingerprint names the options Compute depends on (thresholds,
	// what it collects): results are reused only for the same one.
	Fingerprint string
	// Baseline, if set, is the earlier snapshot file Compute compares
	// against; its identity is part of the results' key.
	Baseline string
	// Prepare, if set, runs when no results are cached, before the graph
	// is opened or parsed: loading a baseline while memory is free.
	Prepare func() error
	// Parse loads the snapshot when it has no graph index.
	Parse func() (*Snapshot, error)
	// Compute makes the result. It must keep no reference into the graph:
	// a mapped graph is unmapped when Compute returns.
	Compute func(*Graph) (T, error)
	// Cancel, when closed, stops writing the index.
	Cancel <-chan struct{}
	// Log, if set, is told why a cached file was not used or written.
	Log func(msg string)
}

// Run returns Compute's result, and flush, which writes the graph index
// when there is one to write (it keeps the graph alive until then), else
// nil; c may be nil (no cache).
func (r CachedRun[T]) Run(c *IndexCache) (res T, flush func(), err error) {
	k, fp, haveKey, haveFP := r.keys(c)
	if haveFP && c.loadResults(k, fp, &res) {
		return res, nil, nil
	}
	if r.Prepare != nil {
		if err := r.Prepare(); err != nil {
			return res, nil, err
		}
	}
	if haveKey {
		res, err := onMappedGraph(c, k, r.Compute)
		if err == nil {
			if haveFP {
				r.logErr("writing results", c.storeResults(k, fp, res))
			}
			return res, nil, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			r.logErr("graph index of "+r.Path, err)
		}
	}
	s, err := r.Parse()
	if err != nil {
		return res, nil, err
	}
	g := NewGraph(s)
	if res, err = r.Compute(g); err != nil || !haveKey {
		return res, nil, err
	}
	if now, err := keyOf(r.Path); err != nil || now != k {
		return res, nil, nil // the snapshot changed while it was read: index nothing
	}
	if haveFP {
		r.logErr("writing results", c.storeResults(k, fp, res))
	}
	return res, sync.OnceFunc(func() { r.logErr("writing the graph index", c.storeGraph(k, g, r.Cancel)) }), nil
}

// keys returns the snapshot's key (haveKey: a graph index may be used) and
// the results fingerprint with the baseline's identity (haveFP: results
// may be used).
func (r CachedRun[T]) keys(c *IndexCache) (k indexKey, fp string, haveKey, haveFP bool) {
	if c == nil {
		return k, "", false, false
	}
	k, err := keyOf(r.Path)
	if err != nil {
		return k, "", false, false // Parse reports what is wrong with the file
	}
	fp = r.Fingerprint
	if r.Baseline != "" {
		bk, err := keyOf(r.Baseline)
		if err != nil {
			return k, "", true, false
		}
		fp += "\nbaseline:\n" + bk.canon
	}
	return k, fp, true, true
}

func (r CachedRun[T]) logErr(what string, err error) {
	if err != nil && r.Log != nil && !errors.Is(err, ErrCanceled) {
		r.Log(fmt.Sprintf("leaklsp index: %s: %v", what, err))
	}
}

// onMappedGraph runs f on k's mapped graph. A fault reading the mapping
// (the file cut underneath) or a panic becomes an error, so the caller
// falls back to parsing.
func onMappedGraph[T any](c *IndexCache, k indexKey, f func(*Graph) (T, error)) (res T, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: fault or panic on the mapped graph: %v", errIndexInvalid, p)
		}
	}()
	g, release, err := c.openGraph(k)
	if err != nil {
		return res, err
	}
	defer release()
	return f(g)
}

// BaselineCached summarizes the baseline snapshot at path (NewBaseline)
// from its graph index when it has one, else from parse().
func BaselineCached(c *IndexCache, path string, parse func() (*Snapshot, error)) (*Baseline, error) {
	if c != nil {
		if k, err := keyOf(path); err == nil {
			b, err := onMappedGraph(c, k, func(g *Graph) (*Baseline, error) { return NewBaseline(g.Snapshot), nil })
			if err == nil {
				return b, nil
			}
		}
	}
	s, err := parse()
	if err != nil {
		return nil, err
	}
	return NewBaseline(s), nil
}
