package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leaklsp/leaklsp/heap"
)

// bigSiteState is the worst case of the site table after loading a big
// snapshot: the table is full (maxSites), and the 5,000-line file has a
// site with live objects on every line (every function, class and timer
// of the file: more than any real file has), each with sitePaths paths of
// 24 hops that link to source lines; the other sites are in other files.
// (The requests read only this table; the snapshot is gone after the load,
// so its size does not enter the request cost.)
func bigSiteState(file string) *heapState {
	sites := make([]heap.SiteStats, maxSites)
	byFile := map[string][]placedSite{}
	for i := range sites {
		line := i % 5000
		f := file
		if i >= 5000 {
			f = fmt.Sprintf("%s.%d.js", file, i/5000)
		}
		sites[i] = heap.SiteStats{Site: heap.Site{Script: "/srv/app/big.js", Line: line, Column: 4}, Kind: heap.SiteClosures,
			Name: fmt.Sprintf("fn%d", i), Count: 100 + i, SelfBytes: uint64(64 * (100 + i)), RetainedBytes: uint64(1 << 20), New: i}
		ps := placedSite{stat: &sites[i], file: f, line: line, col: 4, lens: siteLens(&sites[i], uri.File(f), line, 4, true)}
		for range sitePaths {
			path := make([]placedHop, 24)
			for h := range path {
				path[h] = placedHop{Hop: heap.Hop{Edge: "items", Node: fmt.Sprintf("Order @%d", h)}, loc: locationAt(f, (line+h)%5000, 2)}
			}
			ps.paths = append(ps.paths, path)
		}
		byFile[f] = append(byFile[f], ps)
	}
	order := map[string][]int32{}
	for f, list := range byFile {
		order[f] = retainedOrder(list)
	}
	return &heapState{path: "big.heapsnapshot", baseline: "base.heapsnapshot", sites: sites, sitesByFile: byFile, lensOrder: order}
}

// BenchmarkCodeLensBigFile: every site qualifies (MinCount 1); the
// default MaxPerFile keeps the 200 that retain most.
func BenchmarkCodeLensBigFile(b *testing.B) {
	benchLens(b, 200)
}

// BenchmarkCodeLensBigFileUncapped: all 5,000 lenses (maxPerFile 0).
func BenchmarkCodeLensBigFileUncapped(b *testing.B) {
	benchLens(b, 0)
}

func benchLens(b *testing.B, maxPerFile int) {
	file := filepath.Join(b.TempDir(), "big.js")
	s := NewServer(Options{})
	s.heap = bigSiteState(file)
	s.settings.Lens = LensSettings{Enabled: true, MinCount: 1, MaxPerFile: maxPerFile}
	want := 5000
	if maxPerFile > 0 {
		want = maxPerFile
	}
	p := &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(file)}}
	var worst time.Duration
	for b.Loop() {
		start := time.Now()
		lenses, err := s.CodeLens(context.Background(), p)
		_, _ = protocol.Marshal(lenses) // the reply goes out as JSON, as the server's Codec writes it
		worst = max(worst, time.Since(start))
		if err != nil || len(lenses) != want {
			b.Fatalf("%d lenses, %v", len(lenses), err)
		}
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
}

func BenchmarkHoverSiteBigFile(b *testing.B) {
	file := filepath.Join(b.TempDir(), "big.js")
	s := NewServer(Options{})
	s.heap = bigSiteState(file)
	var worst time.Duration
	line := 0
	for b.Loop() {
		line = (line + 97) % 5000
		p := &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(file)}, Position: protocol.Position{Line: uint32(line)}}}
		start := time.Now()
		h, err := s.Hover(context.Background(), p)
		_, _ = protocol.Marshal(h)
		worst = max(worst, time.Since(start))
		if err != nil || h == nil {
			b.Fatalf("no hover on line %d: %v", line, err)
		}
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
}

// BenchmarkInlayHintBigFile: the same sites as inlay hints (lens.style
// "inlayHint"), for the whole open 5,000-line document, so each hint's
// line end is looked up in its text.
func BenchmarkInlayHintBigFile(b *testing.B) {
	file := filepath.Join(b.TempDir(), "big.js")
	s := NewServer(Options{})
	s.heap = bigSiteState(file)
	s.settings.Lens = LensSettings{Enabled: true, MinCount: 1, MaxPerFile: 200, Style: LensStyleInlayHint}
	var text strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&text, "    const handler%d = (req, res) => { res.end(String(req.url) + 'é'); }; // line %d\n", i, i)
	}
	s.docs[file] = &document{path: file, text: []byte(text.String())}
	p := &protocol.InlayHintParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(file)},
		Range: protocol.Range{End: protocol.Position{Line: 5000}}}
	var worst time.Duration
	for b.Loop() {
		start := time.Now()
		hints, err := s.InlayHint(context.Background(), p)
		_, _ = protocol.Marshal(hints) // the reply goes out as JSON, through the union-aware encoder
		worst = max(worst, time.Since(start))
		if err != nil || len(hints) != 200 { // 200 sites on 200 lines
			b.Fatalf("%d hints, %v", len(hints), err)
		}
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
}
