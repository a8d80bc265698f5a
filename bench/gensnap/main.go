// Command gensnap writes a valid synthetic V8 .heapsnapshot of any size,
// streaming, with a realistic shape (Node 20's meta; roots, a global object
// behind root -[shortcut]-> global, oddballs, scripts, shared function
// infos with locations, closures with contexts, arrays, Maps with their
// tables, heap numbers, weak edges) and a few planted leaks at known
// sites, listed in a JSON manifest:
//
//   - LEAK110: many onMessage closures of one site, held in a listeners
//     array of a long-lived EventBus;
//   - LEAK101: finished Timeouts (_destroyed true) kept on Job objects, each
//     holding its callback and an AsyncLocalStorage store;
//   - LEAK103: an async function awaiting itself, a chain of suspended
//     Generator activations kept by a pending sleep timer.
//
// Usage:
//
//	gensnap -size 5GB -o big.heapsnapshot            # about 5 GB of text
//	gensnap -nodes 1000000 -o mid.heapsnapshot.gz    # gzip when the name ends in .gz
//	gensnap -control -size 50MB -o ctl.heapsnapshot  # no planted leaks
//	gensnap -verify report.json -manifest big.heapsnapshot.manifest.json
//
// The manifest (default: the output name + ".manifest.json") gives each
// planted leak's code, site (script, 0-based line and column, as V8's
// locations and leaklsp's heap.Site) and count. -verify checks a
// `leaklsp check --format json` report against it.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gensnap:", err)
		os.Exit(2)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("gensnap", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output `FILE` (.gz: gzip-compressed); - for stdout")
	size := fs.String("size", "", "approximate uncompressed `SIZE` (e.g. 800MB, 5GB)")
	nodes := fs.Int("nodes", 0, "approximate node count (instead of -size)")
	manifest := fs.String("manifest", "", "manifest `FILE` (default: output + .manifest.json)")
	control := fs.Bool("control", false, "plant no leaks")
	pl := defaultPlants()
	fs.IntVar(&pl.Closures, "closures", pl.Closures, "planted LEAK110 closures")
	fs.IntVar(&pl.Timeouts, "timeouts", pl.Timeouts, "planted LEAK101 finished timeouts")
	fs.IntVar(&pl.Depth, "depth", pl.Depth, "planted LEAK103 async chain depth")
	level := fs.Int("level", gzip.BestSpeed, "gzip level for .gz output")
	report := fs.String("verify", "", "check a leaklsp --format json `REPORT` against -manifest instead of generating")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *report != "" {
		if *manifest == "" {
			return errors.New("-verify needs -manifest")
		}
		return verify(*report, *manifest, os.Stdout)
	}
	if *out == "" {
		return errors.New("-o is required")
	}
	if *control {
		pl = Plants{}
	}
	units := 10000
	switch {
	case *size != "" && *nodes > 0:
		return errors.New("give -size or -nodes, not both")
	case *size != "":
		b, err := parseSize(*size)
		if err != nil {
			return err
		}
		units = unitsForBytes(b, pl)
	case *nodes > 0:
		units = max(0, (*nodes-newPlan(0, pl).nodes)*unitsPerBucket/(unitsPerBucket*unitNodes+bucketNodes))
	}
	start := time.Now()
	st, err := writeFile(*out, newPlan(units, pl), *level)
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	fmt.Fprintf(stderr, "gensnap: %s: %d bytes, %d nodes, %d edges, %d strings in %.1fs (%.0f MB/s)\n",
		*out, st.Bytes, st.Nodes, st.Edges, st.Strings, secs, float64(st.Bytes)/1e6/secs)
	if *out == "-" && *manifest == "" {
		return nil
	}
	if *manifest == "" {
		*manifest = *out + ".manifest.json"
	}
	b, err := json.MarshalIndent(newManifest(st, pl), "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(*manifest, append(b, '\n'), 0o644)
}

func defaultPlants() Plants { return Plants{Closures: 2000, Timeouts: 500, Depth: 300} }

// writeFile generates to path, gzip-compressed when it ends in ".gz".
func writeFile(path string, p *plan, level int) (Stats, error) {
	var w io.Writer = os.Stdout
	var f *os.File
	if path != "-" {
		var err error
		if f, err = os.Create(path); err != nil {
			return Stats{}, err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 4<<20)
	var zw *gzip.Writer
	var dst io.Writer = bw
	if strings.HasSuffix(path, ".gz") {
		var err error
		if zw, err = gzip.NewWriterLevel(bw, level); err != nil {
			return Stats{}, err
		}
		dst = zw
	}
	st, err := generate(dst, p)
	if err != nil {
		return st, err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return st, err
		}
	}
	if err := bw.Flush(); err != nil {
		return st, err
	}
	if f != nil {
		return st, f.Close()
	}
	return st, nil
}

// parseSize reads "5GB", "800MB", "120M", "1.5G" or a plain byte count
// (decimal units: 1 GB = 1e9 bytes).
func parseSize(s string) (int64, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := 1.0
	for _, m := range []struct {
		suffix string
		mult   float64
	}{{"GB", 1e9}, {"G", 1e9}, {"MB", 1e6}, {"M", 1e6}, {"KB", 1e3}, {"K", 1e3}, {"B", 1}} {
		if strings.HasSuffix(u, m.suffix) {
			u, mult = strings.TrimSuffix(u, m.suffix), m.mult
			break
		}
	}
	v, err := strconv.ParseFloat(u, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("bad -size %q (want e.g. 5GB, 800MB)", s)
	}
	return int64(v * mult), nil
}

// unitsForBytes finds the unit count whose snapshot is about b bytes: it
// measures a sample and corrects for the longer numbers (ids, to_node
// indexes) of a bigger graph, about refsPerUnit numbers per unit.
func unitsForBytes(b int64, pl Plants) int {
	const sample, refsPerUnit = 20000, 40
	measure := func(units int) int64 {
		st, err := generate(io.Discard, newPlan(units, pl))
		if err != nil {
			panic(err)
		}
		return st.Bytes
	}
	fixed := measure(0)
	perUnit := float64(measure(sample)-fixed) / sample
	digits := func(units int) float64 { return float64(len(strconv.Itoa(units * unitNodes * len(nodeFields)))) }
	units := sample
	for range 4 { // converges in two or three steps
		per := perUnit + refsPerUnit*(digits(units)-digits(sample))
		units = max(0, int(float64(b-fixed)/per))
	}
	return units
}

// Leak is one planted leak of the manifest.
type Leak struct {
	Code  string `json:"code"`
	Site  Site   `json:"site"`
	Count int    `json:"count"`
}

// Site is a position as V8's locations and heap.Site give it: 0-based.
type Site struct {
	Script   string `json:"script"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Function string `json:"function"`
}

// Manifest is the ground truth written beside the snapshot.
type Manifest struct {
	Stats
	Note  string `json:"note"`
	Leaks []Leak `json:"leaks"`
}

func newManifest(st Stats, pl Plants) Manifest {
	m := Manifest{Stats: st, Leaks: []Leak{},
		Note: "site line/column are 0-based (V8 locations, heap.Site); editors show line+1, column+1"}
	add := func(code string, n int, script int, pos [2]int, fn string) {
		if n > 0 {
			m.Leaks = append(m.Leaks, Leak{Code: code, Count: n,
				Site: Site{Script: scriptPaths[script], Line: pos[0], Column: pos[1], Function: fn}})
		}
	}
	add("LEAK101", pl.Timeouts, scriptJobs, siteOnExpire, "onExpire")
	add("LEAK103", pl.Depth, scriptHealth, sitePoll, "pollHealth")
	add("LEAK110", pl.Closures, scriptSubscribers, siteOnMessage, "onMessage")
	return m
}
