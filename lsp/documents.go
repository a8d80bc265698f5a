package lsp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"unicode/utf8"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leaklsp/leaklsp/jsscan"
)

// document is an open text document. Sync notifications are handled in wire
// order (see async in conn.go); a change not newer than the stored version
// is still dropped, so a confused client cannot roll the text back.
type document struct {
	uri      uri.URI // exactly as the client sent it; echoed back unchanged
	path     string
	version  int32
	text     []byte
	lintable bool // inside the workspace and not in node_modules

	findings    []jsscan.Finding // of version scanned
	scanned     int32
	scannedText []byte // the text of version scanned: what findings' ranges refer to
	hasScan     bool
	// unsynced is set when a change could not be applied: the text is no
	// longer the client's, so nothing is published or offered for it until
	// a full-text change or a reopen.
	unsynced bool
	worker   *worker
}

// fresh reports whether the last scan saw the current text (code actions
// and hover must not hand out ranges into an older version).
func (d *document) fresh() bool { return !d.lintable || d.hasScan && d.scanned == d.version }

// DidOpen stores the document and scans it at once.
func (s *Server) DidOpen(_ context.Context, p *protocol.DidOpenTextDocumentParams) error {
	path, ok := pathOf(p.TextDocument.URI)
	if !ok {
		return nil
	}
	s.mu.Lock()
	if old := s.docs[path]; old != nil {
		old.worker.stop()
	}
	d := &document{uri: p.TextDocument.URI, path: path, version: p.TextDocument.Version, text: []byte(p.TextDocument.Text)}
	d.lintable = s.inWorkspace(path, s.settings, s.roots)
	d.worker = newWorker(s, d)
	s.docs[path] = d
	s.mu.Unlock()
	if d.lintable {
		d.worker.kick(true)
	}
	return nil
}

// DidChange applies full or incremental (UTF-16 ranged) changes in order.
func (s *Server) DidChange(_ context.Context, p *protocol.DidChangeTextDocumentParams) error {
	path, ok := pathOf(p.TextDocument.URI)
	if !ok {
		return nil
	}
	s.mu.Lock()
	d := s.docs[path]
	if d == nil {
		s.mu.Unlock()
		return fmt.Errorf("didChange for %s, which is not open", p.TextDocument.URI)
	}
	if p.TextDocument.Version <= d.version {
		s.mu.Unlock()
		return fmt.Errorf("didChange version %d <= current %d (out of order)", p.TextDocument.Version, d.version)
	}
	changes := p.ContentChanges
	if d.unsynced { // only a full-text change brings the document back
		i := slices.IndexFunc(changes, isWholeDocument)
		if i < 0 {
			d.version = p.TextDocument.Version
			s.mu.Unlock()
			return nil
		}
		changes = changes[i:]
	}
	// At most one private copy per notification, edited in place: a scan
	// may still be reading d.text, and copying per change made a Replace
	// All of 2000 edits on a 2 MB file take seconds. A full-text change is
	// a new buffer already (full-sync clients send one per keystroke).
	text, private := d.text, false
	var err error
	for _, c := range changes {
		if !private && !isWholeDocument(c) {
			text = bytes.Clone(text)
		}
		private = true
		if text, err = applyChange(text, c); err != nil {
			break
		}
	}
	d.version, d.unsynced = p.TextDocument.Version, err != nil
	if err == nil {
		d.text = text
	}
	lintable := d.lintable
	s.mu.Unlock()
	switch {
	case err != nil:
		go s.publish(path) // clears what no longer matches the client's text
		return fmt.Errorf("%s is out of sync until a full-text change or reopen: %w", p.TextDocument.URI, err)
	case lintable:
		d.worker.kick(false)
	}
	return nil
}

func isWholeDocument(c protocol.TextDocumentContentChangeEvent) bool {
	_, ok := c.(*protocol.TextDocumentContentChangeWholeDocument)
	return ok
}

// DidSave rescans without waiting for the debounce.
func (s *Server) DidSave(_ context.Context, p *protocol.DidSaveTextDocumentParams) error {
	path, ok := pathOf(p.TextDocument.URI)
	if !ok {
		return nil
	}
	s.mu.Lock()
	d := s.docs[path]
	s.mu.Unlock()
	if d != nil && d.lintable {
		d.worker.kick(true)
	}
	return nil
}

// DidClose forgets the document; its diagnostics fall back to the file on
// disk (rescanned now), which may well be none.
func (s *Server) DidClose(_ context.Context, p *protocol.DidCloseTextDocumentParams) error {
	path, ok := pathOf(p.TextDocument.URI)
	if !ok {
		return nil
	}
	s.mu.Lock()
	d := s.docs[path]
	delete(s.docs, path)
	lintable := s.inWorkspace(path, s.settings, s.roots)
	s.mu.Unlock()
	if d == nil {
		return nil
	}
	d.worker.stop()
	go func() { // off the read loop: DidClose runs in wire order
		if lintable {
			if src, err := os.ReadFile(path); err == nil {
				findings, _ := s.scan(path, src)
				s.mu.Lock()
				if s.docs[path] == nil {
					s.disk[path] = findings
				}
				s.mu.Unlock()
			}
		}
		s.publish(path)
	}()
	return nil
}

// applyChange applies one content change to text, in place when it can.
func applyChange(text []byte, c protocol.TextDocumentContentChangeEvent) ([]byte, error) {
	switch c := c.(type) {
	case *protocol.TextDocumentContentChangeWholeDocument:
		return []byte(c.Text), nil
	case *protocol.TextDocumentContentChangePartial:
		start, err := offsetOf(text, c.Range.Start)
		if err != nil {
			return nil, err
		}
		end, err := offsetOf(text, c.Range.End)
		if err != nil {
			return nil, err
		}
		if end < start {
			return nil, errors.New("change range ends before it starts")
		}
		return slices.Replace(text, start, end, []byte(c.Text)...), nil
	}
	return nil, fmt.Errorf("unsupported content change %T", c)
}

// offsetOf converts an LSP position (0-based line, UTF-16 column) into a
// byte offset. A column past the line's end means the line's end (LSP
// spec); a line past the last one is an error.
func offsetOf(text []byte, p protocol.Position) (int, error) {
	off := 0
	for line := uint32(0); line < p.Line; line++ {
		i := nextLine(text[off:])
		if i < 0 {
			if line+1 == p.Line && p.Character == 0 {
				return len(text), nil // the position just after a last line without '\n'
			}
			return 0, fmt.Errorf("position line %d beyond the document's %d lines", p.Line, line+1)
		}
		off += i
	}
	col := uint32(0)
	for off < len(text) && col < p.Character {
		r, size := utf8.DecodeRune(text[off:])
		if r == '\n' || r == '\r' {
			break
		}
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
		off += size
	}
	return off, nil
}

// nextLine returns the offset of the line after the first one in b, or -1
// if b has one line. Lines end in "\n", "\r\n" or a lone "\r" (LSP); two
// IndexByte scans keep it at memchr speed on large files.
func nextLine(b []byte) int {
	nl := bytes.IndexByte(b, '\n')
	seg := b
	if nl >= 0 {
		seg = b[:nl]
	}
	switch cr := bytes.IndexByte(seg, '\r'); {
	case cr >= 0 && (nl < 0 || cr < nl-1): // a lone '\r' comes first
		return cr + 1
	case nl >= 0:
		return nl + 1
	}
	return -1
}
