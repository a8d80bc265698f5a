package lsp

import (
	"sync"
	"time"

	"github.com/leaklsp/leaklsp/jsscan"
)

// worker scans one document. There is one per open document, so scans of
// the same document never overlap and an older result can never be
// published after a newer one.
type worker struct {
	s   *Server
	doc *document // its document: after a close and reopen, a new one

	mu        sync.Mutex
	pending   bool
	immediate bool
	wake      chan struct{} // cap 1
	done      chan struct{}
	stopOnce  sync.Once
}

func newWorker(s *Server, d *document) *worker {
	w := &worker{s: s, doc: d, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go w.run()
	return w
}

// kick asks for a scan: immediate skips the debounce (open, save).
func (w *worker) kick(immediate bool) {
	w.mu.Lock()
	w.pending = true
	w.immediate = w.immediate || immediate
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *worker) stop() { w.stopOnce.Do(func() { close(w.done) }) }

func (w *worker) run() {
	for {
		select {
		case <-w.done:
			return
		case <-w.wake:
		}
		if !w.settle() {
			return
		}
		w.s.scanDocument(w.doc)
	}
}

// settle waits until no edit arrived for the debounce interval (or an
// immediate scan was asked for). It returns false when stopped.
func (w *worker) settle() bool {
	d := w.s.debounce()
	for {
		w.mu.Lock()
		imm := w.immediate
		w.pending, w.immediate = false, false
		w.mu.Unlock()
		if imm || d <= 0 {
			return true
		}
		t := time.NewTimer(d)
		select {
		case <-w.done:
			t.Stop()
			return false
		case <-t.C:
			w.mu.Lock()
			again := w.pending
			w.mu.Unlock()
			if !again {
				return true
			}
		case <-w.wake:
			t.Stop()
		}
	}
}

// scanDocument scans the newest text of d and publishes the result, unless
// d was closed meanwhile (a reopened file is another document, whose own
// worker scans it) or a newer scan already landed.
func (s *Server) scanDocument(d *document) {
	s.mu.Lock()
	if s.docs[d.path] != d {
		s.mu.Unlock()
		return
	}
	version, text := d.version, d.text
	s.mu.Unlock()
	findings, err := s.scan(d.path, text)
	if err != nil {
		// Publish what there is (heap diagnostics) without static findings:
		// publish waits for a first scan, and nothing else would end that.
		s.log.Error("scan", "path", d.path, "err", err)
		findings = nil
	}
	s.mu.Lock()
	if s.docs[d.path] != d || (d.hasScan && d.scanned > version) {
		s.mu.Unlock()
		return
	}
	d.findings, d.scanned, d.scannedText, d.hasScan = findings, version, text, true
	s.mu.Unlock()
	s.publish(d.path)
}

// scan runs the static scanner, surviving its panics.
func (s *Server) scan(path string, src []byte) ([]jsscan.Finding, error) {
	return safely("scanning "+path, func() ([]jsscan.Finding, error) { return s.opts.Scan(path, src), nil })
}
