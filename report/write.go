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

// jsonDiagnostic is a Diagnostic with its display path, doc link and the
// 1-based line and column of its start (what text and SARIF print), next
// to the 0-based LSP range; docs/json.md is the schema.
type jsonDiagnostic struct {
	Path string `json:"path"`
	Line
	Diagnostic
	Related []jsonRelated `json:"related,omitempty"`
	Doc     string        `json:"doc"`
}

// jsonRelated is a Related location with its display path and 1-based
// start.
type jsonRelated struct {
	Path string `json:"path"`
	Line
	Related
}

// Line is a 1-based start and end, as text output and SARIF count: line 1
// is the first line, column 1 the first UTF-16 code unit.
type Line struct {
	Line      int `json:"line"`
	Column    int `json:"column"`
	EndLine   int `json:"endLine"`
	EndColumn int `json:"endColumn"`
}

func oneBased(r Range) Line {
	return Line{r.Start.Line + 1, r.Start.Column + 1, r.End.Line + 1, r.End.Column + 1}
}

// jsonFormat versions the JSON output; docs/json.md describes it.
const jsonFormat = 1

// WriteJSON writes {"format": 1, "diagnostics": [...]}: each diagnostic with
// its display path, 1-based line/column/endLine/endColumn, the 0-based LSP
// range, and its doc link.
func WriteJSON(w io.Writer, ds []Diagnostic, root string) error {
	out := struct {
		Format      int              `json:"format"`
		Diagnostics []jsonDiagnostic `json:"diagnostics"`
	}{Format: jsonFormat, Diagnostics: make([]jsonDiagnostic, 0, len(ds))}
	for i := range ds {
		d := &ds[i]
		jd := jsonDiagnostic{Path: Display(d, root), Line: oneBased(d.Range), Diagnostic: *d, Doc: DocURL(d.Code)}
		for _, r := range d.Related {
			p := r.Script
			if r.File != "" {
				p = relPath(root, r.File)
			}
			jd.Related = append(jd.Related, jsonRelated{Path: p, Line: oneBased(r.Range), Related: r})
		}
		out.Diagnostics = append(out.Diagnostics, jd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
