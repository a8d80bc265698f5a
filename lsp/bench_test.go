package lsp

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/uri"

	"github.com/leaklsp/leaklsp/jsscan"
)

// bigFile is a 5,000-line module of timer-holding classes, async helpers
// and plain code, with a LEAK001 pattern every 50 lines.
func bigFile() string {
	var b strings.Builder
	b.WriteString("'use strict';\nconst { AsyncLocalStorage } = require('node:async_hooks');\nconst store = new AsyncLocalStorage();\n")
	for i, lines := 0, 3; lines < 5000; i++ {
		block := fmt.Sprintf(`class Job%[1]d {
  constructor(id) {
    this.id = id;
    this.status = 'pending';
    this.timeout = setTimeout(() => {
      this.status = 'done';
    }, %[1]d);
  }
  async run(items) {
    let total = 0;
    for (const item of items) {
      total += await this.step(item);
    }
    return total;
  }
  async step(item) {
    return new Promise((resolve) => setImmediate(() => resolve(item * 2)));
  }
  describe() {
    return 'job ' + this.id + ': ' + this.status + ' ✓';
  }
}
function helper%[1]d(list) {
  const out = [];
  for (let i = 0; i < list.length; i++) {
    if (list[i] %% 2 === 0) {
      out.push(list[i]);
    } else {
      out.push(-list[i]);
    }
  }
  return out;
}
const config%[1]d = {
  name: 'svc-%[1]d',
  retries: 3,
  backoff: [100, 200, 400],
  tags: ['a', 'b', 'c'],
};
module.exports.Job%[1]d = Job%[1]d;
module.exports.helper%[1]d = helper%[1]d;
module.exports.config%[1]d = config%[1]d;
store.run({ id: %[1]d }, () => {
  new Job%[1]d(%[1]d);
});
// end of block %[1]d
//
//
`, i)
		b.WriteString(block)
		lines += strings.Count(block, "\n")
	}
	return b.String()
}

// BenchmarkDiagnosticsLatency measures the time from a didChange of a
// 5,000-line file to its publishDiagnostics (debounce 0, real jsscan): the
// bar is 50 ms after the debounce. It also reports the scan alone. The .ts
// case has its types blanked first (the file has none: the same code).
func BenchmarkDiagnosticsLatency(b *testing.B) {
	for _, name := range []string{"big.js", "big.ts"} {
		b.Run(name, func(b *testing.B) { diagnosticsLatency(b, name) })
	}
}

func diagnosticsLatency(b *testing.B, name string) {
	root := b.TempDir()
	c := newClient(b, clientOpts{roots: []string{root}, scanDir: noScanDir})
	text := bigFile()
	u := uri.File(filepath.Join(root, name))
	from := c.since()
	c.open(u, 1, text)
	first := c.waitDiags(from, u, "first diagnostics", func(p published) bool { return p.Version != nil && *p.Version == 1 })
	b.Logf("%d lines, %d bytes, %d diagnostics", strings.Count(text, "\n"), len(text), len(first.Diagnostics))

	// Edits go into a comment near the middle, so the file stays valid and
	// every rescan is a full one (a typo in code would time the parse
	// error path instead).
	line := 2500
	for lines := strings.Split(text, "\n"); !strings.HasPrefix(lines[line], "//"); line++ {
	}
	var scan time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := i + 2
		from := c.since()
		// Type one character (an incremental edit).
		edit, _ := json.Marshal("x")
		at := `{"line":` + itoa(line) + `,"character":2}`
		c.notify("textDocument/didChange", `{"textDocument":{"uri":"`+string(u)+`","version":`+itoa(v)+`},"contentChanges":[{"range":{"start":`+at+`,"end":`+at+`},"text":`+string(edit)+`}]}`)
		got := c.waitDiags(from, u, "diagnostics", func(p published) bool { return p.Version != nil && int(*p.Version) == v })
		if len(got.Diagnostics) != len(first.Diagnostics) {
			b.Fatalf("version %d: %d diagnostics, want %d (the edit must keep the file valid)", v, len(got.Diagnostics), len(first.Diagnostics))
		}
	}
	b.StopTimer()
	c.srv.mu.Lock()
	cur := c.srv.docs[filepath.Join(root, name)].text
	c.srv.mu.Unlock()
	t0 := time.Now()
	const n = 5
	for range n {
		jsscan.Scan(name, cur)
	}
	scan = time.Since(t0) / n
	b.ReportMetric(float64(scan.Microseconds())/1000, "scan-ms")
}

// BenchmarkOpenSnapshot measures openSnapshot end to end over the protocol
// (load, analyse, locate, publish) on the a-timers-als fixture.
func BenchmarkOpenSnapshot(b *testing.B) {
	fx := fixtures(b)
	c := newClient(b, clientOpts{roots: []string{fx}, scanDir: noScanDir})
	params := `{"command":"leaklsp.server.openSnapshot","arguments":[` + jsonString(filepath.Join(fx, "snapshots", "a-timers-als.heapsnapshot.gz")) + `]}`
	b.ResetTimer()
	for range b.N {
		var res SnapshotResult
		c.call("workspace/executeCommand", params, &res)
		if res.Suspects == 0 {
			b.Fatal("no suspects")
		}
	}
}

// BenchmarkHoverWhileLoading measures how the server answers hover while a
// snapshot loads in the background (the bar: it stays responsive during an
// 800 MB load). The snapshot is $LEAKLSP_BENCH_SNAPSHOT (e.g. the one
// bench/heap.sh generates) or else the a-timers-als fixture; run it with
// -benchtime 1x on the big one. It reports the slowest and the median
// hover latency and how many hovers were answered during the load.
func BenchmarkHoverWhileLoading(b *testing.B) {
	snap := os.Getenv("LEAKLSP_BENCH_SNAPSHOT")
	if snap == "" {
		snap = filepath.Join(fixtures(b), "snapshots", "a-timers-als.heapsnapshot.gz")
	}
	root := b.TempDir()
	c := newClient(b, clientOpts{roots: []string{root}, scanDir: noScanDir})
	u := uri.File(filepath.Join(root, "job.js"))
	from := c.since()
	c.open(u, 1, timerJS)
	c.waitDiags(from, u, "static diagnostics", func(p published) bool { return len(p.Diagnostics) > 0 })
	hover := `{"textDocument":{"uri":"` + string(u) + `"},"position":{"line":2,"character":20}}`
	open := `{"command":"leaklsp.server.openSnapshot","arguments":[` + jsonString(snap) + `]}`

	var lat []time.Duration
	for b.Loop() {
		done := make(chan error, 1)
		go func() { done <- c.tryCall("workspace/executeCommand", open, nil) }()
		for loading := true; loading; {
			t0 := time.Now()
			var h json.RawMessage
			c.call("textDocument/hover", hover, &h)
			lat = append(lat, time.Since(t0))
			select {
			case err := <-done:
				if err != nil {
					b.Fatal(err)
				}
				loading = false
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-hover-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-hover-ms")
	b.ReportMetric(float64(len(lat))/float64(b.N), "hovers/load")
}
