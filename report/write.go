package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Display returns how a diagnostic's file is printed: relative to root when
// inside it, else absolute; the script URL when unmapped.
func Display(d *Diagnostic, root string) string {
	if d.File == "" {
		return d.Script
	}
	return relPath(root, d.File)
}

func relPath(root, file string) string {
	if root == "" {
		return file
	}
	rel, err := filepath.Rel(root, file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return file
	}
	return filepath.ToSlash(rel)
}

// WriteText prints one line per diagnostic, `file:line:col: CODE message`
// with 1-based line and column (the format editors and CI logs link), and
// the related locations indented below it.
func WriteText(w io.Writer, ds []Diagnostic, root string) error {
	for i := range ds {
		d := &ds[i]
		where := Display(d, root)
		if where == "" { // a heap suspect with no source site (objects of a class)
			where = "(heap snapshot)"
		} else {
			where = fmt.Sprintf("%s:%d:%d", where, d.Range.Start.Line+1, d.Range.Start.Column+1)
		}
		if _, err := fmt.Fprintf(w, "%s: %s %s\n", where, d.Code, d.Message); err != nil {
			return err
		}
		if d.File == "" && d.Heap != nil && len(d.Heap.Path) > 0 { // the path is all there is to go on
			if _, err := fmt.Fprintf(w, "\tretainer path: %s\n", PathString(d.Heap.Path)); err != nil {
				return err
			}
		}
		for _, r := range d.Related {
			where := r.Script
			if r.File != "" {
				where = relPath(root, r.File)
			}
			if _, err := fmt.Fprintf(w, "\t%s:%d:%d: %s\n", where, r.Range.Start.Line+1, r.Range.Start.Column+1, r.Message); err != nil {
				return err
			}
		}
	}
	return nil
}

// jsonDiagnostic is a Diagnostic with its display path and doc link.
type jsonDiagnostic struct {
	Path string `json:"path"`
	Diagnostic
	Doc string `json:"doc"`
}

// WriteJSON writes {"diagnostics": [...]} with 0-based positions (as in LSP)
// and each diagnostic's display path and doc link.
func WriteJSON(w io.Writer, ds []Diagnostic, root string) error {
	out := struct {
		Diagnostics []jsonDiagnostic `json:"diagnostics"`
	}{Diagnostics: make([]jsonDiagnostic, 0, len(ds))}
	for i := range ds {
		out.Diagnostics = append(out.Diagnostics, jsonDiagnostic{Path: Display(&ds[i], root), Diagnostic: ds[i], Doc: DocURL(ds[i].Code)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
