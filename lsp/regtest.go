package lsp

import (
	"path/filepath"

	"go.lsp.dev/protocol"

	"github.com/leaklsp/leaklsp/regtest"
)

// KindRegressionTest is the kind of "Add leak regression test": offered
// with the quick fixes of a heap-confirmed finding.
const KindRegressionTest protocol.CodeActionKind = "quickfix.leaklsp.regressionTest"

// regressionTest offers to write a leak regression test next to the code
// of diagnostic i (package regtest says when there is one), as a
// WorkspaceEdit that creates the file: for clients that can create files.
func (s *Server) regressionTest(cur *publishedDiagnostics, i int) protocol.CommandOrCodeAction {
	s.mu.Lock()
	canCreate, roots := s.createFiles, s.roots
	s.mu.Unlock()
	d := &cur.diags[i]
	if !canCreate || d.File == "" {
		return nil
	}
	test, err := safely("regression test", func() (*regtest.Test, error) { return regtest.For(d, cur.text, rootOf(roots, d.File)) })
	if err != nil {
		s.log.Debug("no regression test", "file", d.File, "code", d.Code, "why", err)
		return nil
	}
	u := s.uriFor(test.Path)
	return &protocol.CodeAction{
		Title:       "Add leak regression test (" + string(test.Framework) + "): " + filepath.Base(test.Path),
		Kind:        ptr(KindRegressionTest),
		Diagnostics: []protocol.Diagnostic{cur.proto[i]},
		Edit: &protocol.WorkspaceEdit{DocumentChanges: []protocol.DocumentChange{
			&protocol.CreateFile{Kind: "create", URI: u},
			&protocol.TextDocumentEdit{
				TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}},
				Edits:        []protocol.TextDocumentEditElement{&protocol.TextEdit{NewText: test.Text}},
			},
		}},
	}
}

// rootOf is the workspace folder holding path ("" when none does).
func rootOf(roots []string, path string) string {
	best := ""
	for _, r := range roots {
		if rel, err := filepath.Rel(r, path); err == nil && filepath.IsLocal(rel) && len(r) > len(best) {
			best = r
		}
	}
	return best
}

// canCreateFiles reports whether the client applies workspace edits that
// create files: the create resource operation (which only documentChanges
// can carry; Neovim 0.7 announces the one without the other).
func canCreateFiles(c protocol.ClientCapabilities) bool {
	if c.Workspace == nil || c.Workspace.WorkspaceEdit == nil {
		return false
	}
	for _, op := range c.Workspace.WorkspaceEdit.ResourceOperations {
		if op == protocol.ResourceOperationKindCreate {
			return true
		}
	}
	return false
}
