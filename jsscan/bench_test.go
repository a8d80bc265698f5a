package jsscan

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serviceTemplate is one unit of realistic service code: classes with
// timers, async methods, closures, templates, regexps and comments. %d
// makes every copy's names unique.
const serviceTemplate = `
// Section %[1]d: a request-scoped job queue.
class Job%[1]d extends EventEmitter {
  constructor(id, options = {}) {
    super();
    this.id = id;
    this.options = { retries: 3, ...options };
    this.timeout = setTimeout(() => {
      this.status = 'expired';
      this.emit('expired', this.id);
    }, this.options.ttl || 1000);
  }

  async run(input) {
    const started = Date.now();
    for (const step of this.steps) {
      if (!/^[a-z]+$/i.test(step.name)) continue;
      await step.apply(input, { id: this.id, at: started });
    }
    return { ok: true, took: Date.now() - started, label: ` + "`job-${this.id}`" + ` };
  }

  async retry(n) {
    if (n <= 0) throw new Error('giving up on ' + this.id);
    try {
      return await this.run();
    } catch (err) {
      await sleep(2 ** (this.options.retries - n) * 10);
      return this.retry(n - 1);
    }
  }
}

function createPool%[1]d(size) {
  const workers = new Map();
  for (let i = 0; i < size; i++) {
    workers.set(i, { busy: false, jobs: [] });
  }
  return {
    acquire() {
      const free = [...workers.values()].find((w) => !w.busy);
      return free ? Promise.resolve(free) : new Promise((r) => setImmediate(() => r(this.acquire())));
    },
    size: () => workers.size / 2 | 0,
  };
}
`

func generate(lines int) []byte {
	var b strings.Builder
	b.WriteString("'use strict';\nconst { EventEmitter } = require('node:events');\n")
	for i := 0; strings.Count(b.String(), "\n") < lines; i++ {
		fmt.Fprintf(&b, serviceTemplate, i)
	}
	return []byte(b.String())
}

// BenchmarkScanFile scans one generated 5,000-line service file with every
// rule (the bar: <= 30 ms).
func BenchmarkScanFile(b *testing.B) {
	src := generate(5000)
	if fs := Scan("service.js", src); len(fs) == 0 {
		b.Fatal("the generated file should have findings (LEAK001 per class)")
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		Scan("service.js", src)
	}
	reportCPU(b, cpu)
}

// cpuTime is the process's CPU time. The machine the benchmarks run on is
// shared, so wall time alone overstates the cost; cpu-ms/op (including GC
// work on other threads) does not depend on the neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkScanFileTS is the same file as TypeScript (the bar: <= 30 ms).
// It has no type annotations: BenchmarkScanRealTS has real TypeScript.
func BenchmarkScanFileTS(b *testing.B) {
	src := generate(5000)
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		Scan("service.ts", src)
	}
	reportCPU(b, cpu)
}

// BenchmarkScanRealJS and BenchmarkScanRealTS scan real 5,000-line files
// of published packages (testdata/bench/README.md).
func BenchmarkScanRealJS(b *testing.B) { benchReal(b, "bottleneck-2.19.5-es5.js") }
func BenchmarkScanRealTS(b *testing.B) { benchReal(b, "effect-3.10.0-Micro.ts") }

func benchReal(b *testing.B, name string) {
	f, err := os.Open(filepath.Join("testdata", "bench", name+".gz"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	src, err := io.ReadAll(z)
	if err != nil {
		b.Fatal(err)
	}
	if !mayMatch(src) {
		b.Fatal("the file would be skipped by the prefilter")
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		Scan(name, src)
	}
	reportCPU(b, cpu)
}

// BenchmarkScanDir scans a directory of 40 generated files (20 MB/s-class
// throughput needs the parallel workers).
func BenchmarkScanDir(b *testing.B) {
	dir := b.TempDir()
	var total int64
	for i := 0; i < 40; i++ {
		src := generate(1000 + 100*i)
		total += int64(len(src))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%02d.js", i)), src, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(total)
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := ScanDir(dir, DirOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}
