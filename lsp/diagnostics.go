package lsp

import (
	"encoding/json"
	"os"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leaklsp/leaklsp/jsscan"
	"github.com/leaklsp/leaklsp/report"
)

// publishedDiagnostics is the last publication for a file: code actions
// and hover answer from it, so they agree with what the user sees.
type publishedDiagnostics struct {
	uri   uri.URI
	text  []byte // the text the ranges refer to
	diags []report.Diagnostic
	proto []protocol.Diagnostic
}

// diagData is Diagnostic.data: what a client (or codeAction/resolve) needs
// to know about the diagnostic without asking the server.
type diagData struct {
	Code       string `json:"code"`
	Evidence   string `json:"evidence"`
	StaticCode string `json:"staticCode,omitempty"`
	Fixes      int    `json:"fixes"`
	Count      int    `json:"count,omitempty"`
	Retained   uint64 `json:"retainedBytes,omitempty"`
}

// lastPublished returns what code actions and hover answer from: the
// diagnostics published for the document's current text. When edits
// arrived since the last scan (a code action asked for within the
// debounce, as codeActionsOnSave does), it scans now, so no edit is built
// against an older version. nil if there is nothing, or the document is
// out of sync.
func (s *Server) lastPublished(u uri.URI) *publishedDiagnostics {
	path, ok := pathOf(u)
	if !ok {
		return nil
	}
	s.mu.Lock()
	d := s.docs[path]
	stale := d != nil && !d.unsynced && !d.fresh()
	s.mu.Unlock()
	if stale {
		s.scanDocument(d)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if d != nil && d.unsynced {
		return nil
	}
	return s.current[path]
}

// publish recomputes and sends the diagnostics of one file from the current
// state: the open document (or the file on disk), its static findings and
// the loaded snapshot's suspects located in it.
func (s *Server) publish(path string) {
	s.pubMu.Lock()
	defer s.pubMu.Unlock()

	s.mu.Lock()
	var (
		findings []jsscan.Finding
		text     []byte
		version  protocol.Optional[int32]
		open     bool
		u        = uri.File(path)
	)
	lintable := true
	if d := s.docs[path]; d != nil {
		lintable = d.lintable && !d.unsynced
		if lintable && !d.hasScan {
			// Opened, first scan (kicked by didOpen) not done: its findings
			// are unknown, not empty. Publishing now (the workspace scan or
			// a snapshot load finishing in between) would send an empty
			// list that the scan replaces a moment later.
			s.mu.Unlock()
			return
		}
		open, u, text, findings = true, d.uri, d.text, d.findings
		version = protocol.NewOptional(d.version)
		if d.hasScan { // ranges refer to the scanned text, so does the version
			text, version = d.scannedText, protocol.NewOptional(d.scanned)
		}
	} else {
		findings = s.disk[path]
	}
	var located []report.Located
	if s.heap != nil {
		located = s.heap.byFile[path]
	}
	rules := s.settings.Rules
	wasPublished := s.published[path]
	s.mu.Unlock()
	if !lintable { // outside the workspace (or in node_modules): ours to clear only
		if !wasPublished {
			return
		}
		findings, located = nil, nil
	}

	if !open && (len(findings) > 0 || len(located) > 0) {
		text, _ = os.ReadFile(path) // heap ranges and suppressions need the text
	}
	diags := report.Filter(report.Merge(path, text, located, findings), rules)
	if len(diags) == 0 && !wasPublished && !open {
		return
	}
	proto := make([]protocol.Diagnostic, 0, len(diags))
	for i := range diags {
		proto = append(proto, s.toProtocol(&diags[i]))
	}
	s.mu.Lock()
	s.published[path] = len(diags) > 0
	s.current[path] = &publishedDiagnostics{uri: u, text: text, diags: diags, proto: proto}
	s.mu.Unlock()
	err := s.client.PublishDiagnostics(s.ctx, &protocol.PublishDiagnosticsParams{URI: u, Version: version, Diagnostics: proto})
	if err != nil {
		s.log.Warn("publishDiagnostics", "uri", u, "err", err)
	}
}

// republishAll publishes every file the server knows diagnostics for.
func (s *Server) republishAll() {
	s.mu.Lock()
	files := map[string]bool{}
	for p := range s.docs {
		files[p] = true
	}
	for p := range s.disk {
		files[p] = true
	}
	for p := range s.published {
		files[p] = true
	}
	if s.heap != nil {
		for p := range s.heap.byFile {
			files[p] = true
		}
	}
	s.mu.Unlock()
	for p := range files {
		s.publish(p)
	}
}

func (s *Server) toProtocol(d *report.Diagnostic) protocol.Diagnostic {
	data := diagData{Code: d.Code, Evidence: string(d.Source), Fixes: len(d.Fixes)}
	if d.Static != nil && d.Static.Code != d.Code {
		data.StaticCode = d.Static.Code
	}
	if d.Heap != nil {
		data.Count, data.Retained = d.Heap.Count, d.Heap.RetainedBytes
	}
	raw, _ := json.Marshal(data)
	pd := protocol.Diagnostic{
		Range:           toRange(d.Range),
		Severity:        protocol.DiagnosticSeverity(d.Severity),
		Code:            protocol.String(d.Code),
		CodeDescription: protocol.CodeDescription{Href: uri.URI(report.DocURL(d.Code))},
		Source:          protocol.NewOptional("leaklsp"),
		Message:         protocol.String(d.Message),
		Data:            protocol.LSPAny(raw),
	}
	for _, r := range d.Related {
		if r.File == "" {
			continue
		}
		pd.RelatedInformation = append(pd.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: s.uriFor(r.File), Range: toRange(r.Range)},
			Message:  r.Message,
		})
	}
	return pd
}

// uriFor is the URI of path: the client's own spelling when the document is
// open, so the client matches it (lsp-libs.md A6).
func (s *Server) uriFor(path string) uri.URI {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.docs[path]; d != nil {
		return d.uri
	}
	return uri.File(path)
}

func toRange(r report.Range) protocol.Range {
	return protocol.Range{Start: toPos(r.Start), End: toPos(r.End)}
}

func toPos(p report.Pos) protocol.Position {
	return protocol.Position{Line: uint32(max(p.Line, 0)), Character: uint32(max(p.Column, 0))}
}

func scanRange(r jsscan.Range) protocol.Range {
	return protocol.Range{
		Start: protocol.Position{Line: uint32(max(r.Start.Line, 0)), Character: uint32(max(r.Start.Column, 0))},
		End:   protocol.Position{Line: uint32(max(r.End.Line, 0)), Character: uint32(max(r.End.Column, 0))},
	}
}
