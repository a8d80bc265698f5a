package lsp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/report"
	"github.com/leaklsp/leaklsp/workspace"
)

// heapState is the loaded snapshot and its suspects located in the workspace.
type heapState struct {
	path, baseline string
	nodes, edges   int
	suspects       []heap.Suspect
	byFile         map[string][]report.Located
	unmapped       int
	sites          []heap.SiteStats        // live objects per source site (explore.go)
	sitesByFile    map[string][]placedSite // sites mapped into the workspace, by line
	lensOrder      map[string][]int32      // per file: indexes into sitesByFile, most retained first
	mapper         *workspace.Mapper       // what byFile and sitesByFile were mapped with
}

// located returns a copy of h with its suspects mapped through m. A
// heapState is not changed once the server holds it (handlers read it
// without the lock), and mapping reads the disk, so it runs outside the
// lock on a copy.
func (h heapState) located(m *workspace.Mapper) *heapState {
	h.byFile, h.unmapped = map[string][]report.Located{}, 0
	for _, l := range report.Locate(h.suspects, m) {
		if l.File == "" {
			h.unmapped++
			continue
		}
		h.byFile[l.File] = append(h.byFile[l.File], l)
	}
	h.sitesByFile, h.lensOrder = placeSites(h.sites, m, h.baseline != "")
	h.mapper = m
	return &h
}

// SnapshotResult is the reply of openSnapshot and compareSnapshots.
type SnapshotResult struct {
	Path     string `json:"path"`
	Baseline string `json:"baseline,omitempty"`
	Nodes    int    `json:"nodes"`
	Edges    int    `json:"edges"`
	Suspects int    `json:"suspects"`
	Files    int    `json:"files"`    // workspace files with at least one suspect
	Unmapped int    `json:"unmapped"` // suspects whose script is not in the workspace
}

type loadOutcome struct {
	st         *heapState
	writeIndex func() // writes the snapshot's re-open index; nil when there is none to write
	parsed     bool   // a snapshot was parsed or mapped: there is memory to hand back
	err        error
}

// load loads target (and baseline, when set), analyses it and publishes the
// heap diagnostics. It returns when done; cancelling ctx answers at once
// with -32800 and the abandoned load's result is dropped. Failures are also
// shown to the user (window/showMessage).
func (s *Server) load(ctx context.Context, target, baseline string, token protocol.ProgressToken) (*SnapshotResult, error) {
	stop := make(chan struct{})
	s.mu.Lock()
	s.loadGen++
	gen := s.loadGen
	s.stopLoad() // one load at a time: each can take GBs
	s.stopLoading = sync.OnceFunc(func() { close(stop) })
	s.mu.Unlock()

	title := "Loading heap snapshot"
	prog := s.startProgress(ctx, token, title, filepath.Base(target))
	done := make(chan loadOutcome, 1)
	go func() { // reading stops early when cancelled; the analysis runs to its end
		out, err := safely("loading "+target, func() (loadOutcome, error) {
			o := s.loadAndAnalyze(target, baseline, prog, stop)
			return o, o.err
		})
		out.err = err
		done <- out
		// Only the suspects are kept: hand the snapshot's and graph's
		// memory back now, or the editor's server holds its peak (1.2 GB
		// for an 800 MB snapshot) until the runtime scavenges it. Not
		// after a re-open from the index's results: nothing big was made.
		if out.parsed || out.err != nil {
			debug.FreeOSMemory()
		}
	}()
	var out loadOutcome
	select {
	case <-ctx.Done():
		prog.end("cancelled")
		s.bumpGen(gen)
		return nil, protocol.ErrRequestCancelled
	case out = <-done:
	}
	if errors.Is(out.err, heap.ErrCanceled) {
		prog.end("superseded")
		return nil, jsonrpc2.NewError(codeRequestFailed, "leaklsp: load of "+target+" superseded by a newer one")
	}
	if out.err != nil {
		prog.end("failed")
		msg := fmt.Sprintf("leaklsp: cannot load heap snapshot: %v", out.err) // the error names the file
		s.showMessage(protocol.MessageTypeError, msg)
		return nil, jsonrpc2.NewError(codeRequestFailed, msg)
	}
	st, old, ok := s.install(gen, out.st)
	if !ok { // a newer load (or a close) superseded this one
		prog.end("superseded")
		return nil, jsonrpc2.NewError(codeRequestFailed, "leaklsp: load of "+target+" superseded by a newer one")
	}
	s.publishHeapFiles(old, st) // before answering: the reply means "diagnostics are out"
	s.writeIndexLater(out.writeIndex)
	res := &SnapshotResult{Path: target, Baseline: baseline, Nodes: st.nodes, Edges: st.edges,
		Suspects: len(st.suspects), Files: len(st.byFile), Unmapped: st.unmapped}
	prog.end(report.Count(res.Suspects, "suspect"))
	msg := fmt.Sprintf("leaklsp: loaded %s: %s in %s", filepath.Base(target),
		report.Count(res.Suspects-res.Unmapped, "suspect"), report.Count(res.Files, "file"))
	if res.Unmapped > 0 { // not shown as diagnostics anywhere: say where to see them
		msg += fmt.Sprintf(", %d more outside the workspace or without a source line (leaklsp check --snapshot lists them)", res.Unmapped)
	}
	s.showMessage(protocol.MessageTypeInfo, msg)
	return res, nil
}

// install maps a loaded state into the workspace and makes it current,
// unless load gen was superseded; it returns the state it replaced.
// Mapping reads the disk, so it runs outside the lock, again if the
// mappings changed meanwhile.
func (s *Server) install(gen int, loaded *heapState) (st, old *heapState, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		m := s.mapper
		s.mu.Unlock()
		st := loaded.located(m)
		s.mu.Lock()
		if gen != s.loadGen {
			return nil, nil, false
		}
		if m == s.mapper {
			old, s.heap = s.heap, st
			return st, old, true
		}
	}
}

// relocate re-maps the current suspects after the mappings changed and
// republishes everything.
func (s *Server) relocate() {
	s.mu.Lock()
	h, m := s.heap, s.mapper
	s.mu.Unlock()
	if h != nil {
		st := h.located(m)
		s.mu.Lock()
		if s.heap == h && s.mapper == m { // else a newer load or change did it
			s.heap = st
		}
		s.mu.Unlock()
	}
	s.republishAll()
}

// stopLoad stops the snapshot read in flight, if any. Call with s.mu held.
func (s *Server) stopLoad() {
	if s.stopLoading != nil {
		s.stopLoading()
		s.stopLoading = nil
	}
}

// bumpGen drops the load gen, unless a newer one started meanwhile.
func (s *Server) bumpGen(gen int) {
	s.mu.Lock()
	if s.loadGen == gen {
		s.loadGen++
	}
	s.mu.Unlock()
}

// loadAndAnalyze returns the state of target (compared with baseline, when
// set): from the re-open index when it was analysed before, else loaded
// and analysed (reopen.go).
func (s *Server) loadAndAnalyze(target, baseline string, prog *progress, stop <-chan struct{}) (out loadOutcome) {
	if target == "" {
		out.err = fmt.Errorf("no snapshot path given")
		return out
	}
	var base *heap.Baseline
	lo, hi := 0, 100
	run := heap.CachedRun[analysed]{
		Path:        target,
		Baseline:    baseline,
		Fingerprint: analysedFingerprint,
		Cancel:      stop,
		Log:         func(msg string) { s.log.Warn(msg) },
		Prepare: func() (err error) { // runs only when the results were not in the index
			out.parsed = true
			if baseline != "" { // only its summary stays while the target loads
				base, err = heap.BaselineCached(s.index, baseline, func() (*heap.Snapshot, error) { return open(baseline, prog, 0, 45, stop) })
				if err != nil {
					return fmt.Errorf("baseline: %w", err)
				}
				lo = 45
			}
			return nil
		},
		Parse: func() (*heap.Snapshot, error) {
			snap, err := open(target, prog, lo, hi-5, stop)
			prog.report(hi-5, "analysing")
			return snap, err
		},
		Compute: func(g *heap.Graph) (analysed, error) { return analyse(g, base) },
	}
	a, writeIndex, err := run.Run(s.index)
	out.writeIndex, out.err = writeIndex, err
	if err == nil {
		out.st = &heapState{path: target, baseline: baseline, nodes: a.Nodes, edges: a.Edges, suspects: a.Suspects, sites: a.Sites}
	}
	return out
}

// open loads one snapshot, reporting progress scaled into [lo, hi].
func open(path string, prog *progress, lo, hi int, stop <-chan struct{}) (*heap.Snapshot, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() { // a directory, or /dev/zero: never ends
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	size := st.Size()
	snap, err := heap.Open(path, heap.LoadOptions{Size: size, Cancel: stop, Progress: func(done, total int64) {
		if total <= 0 {
			total = size
		}
		if total > 0 {
			prog.report(lo+int(float64(hi-lo)*float64(min(done, total))/float64(total)), "")
		}
	}})
	if err != nil {
		return nil, err
	}
	if snap == nil {
		return nil, fmt.Errorf("%s: loader returned no snapshot", path)
	}
	return snap, nil
}

// publishHeapFiles republishes every file that had or has heap diagnostics.
func (s *Server) publishHeapFiles(old, cur *heapState) {
	files := map[string]bool{}
	for _, st := range []*heapState{old, cur} {
		if st != nil {
			for p := range st.byFile {
				files[p] = true
			}
		}
	}
	for p := range files {
		s.publish(p)
	}
	s.refreshAnnotations()
}

// closeSnapshot forgets the snapshot and clears its diagnostics.
func (s *Server) closeSnapshot() {
	s.mu.Lock()
	old := s.heap
	s.heap = nil
	s.loadGen++ // a load in flight is dropped
	s.stopLoad()
	s.mu.Unlock()
	s.publishHeapFiles(old, nil)
}

func (s *Server) showMessage(t protocol.MessageType, msg string) {
	if err := s.client.ShowMessage(s.ctx, &protocol.ShowMessageParams{Type: t, Message: msg}); err != nil {
		s.log.Warn("showMessage", "err", err)
	}
}
