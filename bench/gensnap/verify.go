package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// verify compares a `leaklsp check --format json` report with a manifest:
// every planted leak must be reported at its site with its count, and the
// report may hold no other heap suspect. It prints one line per leak.
func verify(reportPath, manifestPath string, w io.Writer) error {
	var m Manifest
	if err := readJSON(manifestPath, &m); err != nil {
		return err
	}
	var r struct {
		Diagnostics []struct {
			Code string `json:"code"`
			Heap *struct {
				Code  string `json:"code"`
				Site  Site   `json:"site"`
				Count int    `json:"count"`
			} `json:"heap"`
		} `json:"diagnostics"`
	}
	if err := readJSON(reportPath, &r); err != nil {
		return err
	}
	bad := 0
	matched := map[int]bool{}
	for _, l := range m.Leaks {
		status := "MISSING"
		for i, d := range r.Diagnostics {
			h := d.Heap
			if h == nil || h.Code != l.Code || h.Site.Script != l.Site.Script || h.Site.Line != l.Site.Line || h.Site.Column != l.Site.Column {
				continue
			}
			matched[i] = true
			status = "found"
			if h.Count != l.Count {
				status = fmt.Sprintf("WRONG COUNT %d", h.Count)
			}
		}
		if status != "found" {
			bad++
		}
		fmt.Fprintf(w, "planted %s %s:%d:%d count %d: %s\n", l.Code, l.Site.Script, l.Site.Line+1, l.Site.Column+1, l.Count, status)
	}
	for i, d := range r.Diagnostics {
		if d.Heap != nil && !matched[i] {
			bad++
			fmt.Fprintf(w, "UNEXPECTED %s %s:%d:%d count %d\n", d.Heap.Code, d.Heap.Site.Script, d.Heap.Site.Line+1, d.Heap.Site.Column+1, d.Heap.Count)
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d planted leaks missing or wrong, or unexpected suspects", bad)
	}
	return nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
