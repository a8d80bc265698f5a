// Command accuracy measures the static rules against the hand-labeled
// corpus: bench/corpus/labels.tsv names a line (or a whole file, line 0) of
// a pinned npm package and says whether a rule should flag it. It scans
// every labeled package with jsscan.ScanDir and prints, per rule, true and
// false positives and negatives, recall, false-positive rate and
// precision, then every miss and every false positive with the label's
// reason.
//
//	dir=$(bash bench/corpus/install.sh)
//	go run ./bench/accuracy -labels bench/corpus/labels.tsv "$dir"
//
// Definitions: a label is flagged when a finding of its rule starts on its
// line of its file (line 0: anywhere in the file). recall = TP/(TP+FN);
// false-positive rate = FP/(FP+TN), over the labeled negatives; precision
// = TP/(TP+FP).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/leaklsp/leaklsp/jsscan"
)

// label is one hand-labeled case.
type label struct {
	pkg, file string
	line      int // 1-based; 0 = the whole file
	rule      string
	leak      bool
	why       string
}

func main() {
	labelsPath := flag.String("labels", "bench/corpus/labels.tsv", "the labels file")
	verbose := flag.Bool("v", false, "also list every true positive and the unlabeled findings in labeled files")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: accuracy [-labels FILE] [-v] CORPUS_DIR")
		os.Exit(2)
	}
	labels, err := readLabels(*labelsPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	found, err := scanPackages(flag.Arg(0), labels)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	report(labels, found, *verbose)
}

func readLabels(path string) ([]label, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []label
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 6 || c[4] != "leak" && c[4] != "not-leak" {
			return nil, fmt.Errorf("%s:%d: want 6 tab-separated columns ending in leak/not-leak and a reason", path, n)
		}
		ln, err := strconv.Atoi(c[2])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: bad line %q", path, n, c[2])
		}
		out = append(out, label{pkg: c[0], file: c[1], line: ln, rule: c[3], leak: c[4] == "leak", why: c[5]})
	}
	return out, sc.Err()
}

// pkgDir is where bench/corpus/install.sh unpacks a package.
func pkgDir(root, pkg string) string { return filepath.Join(root, strings.ReplaceAll(pkg, "/", "+")) }

// key is a finding's place: package, file inside it, rule, 1-based line.
type key struct {
	pkg, file, rule string
	line            int
}

// scanPackages scans each labeled package once and indexes its findings
// by line and by file (line 0).
func scanPackages(root string, labels []label) (map[key][]jsscan.Finding, error) {
	seen := map[string]bool{}
	out := map[key][]jsscan.Finding{}
	for _, l := range labels {
		if seen[l.pkg] {
			continue
		}
		seen[l.pkg] = true
		dir := pkgDir(root, l.pkg)
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("%s is not unpacked (run bench/corpus/install.sh): %v", l.pkg, err)
		}
		fs, err := jsscan.ScanDir(dir, jsscan.DirOptions{IncludeNodeModules: true})
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			rel, _ := filepath.Rel(dir, f.Path)
			rel = filepath.ToSlash(rel)
			k := key{l.pkg, rel, f.Code, f.Range.Start.Line + 1}
			out[k] = append(out[k], f)
			k.line = 0
			out[k] = append(out[k], f)
		}
	}
	return out, nil
}

type tally struct{ tp, fn, fp, tn int }

func report(labels []label, found map[key][]jsscan.Finding, verbose bool) {
	byRule := map[string]*tally{}
	var misses, falses, hits []string
	labeled := map[key]bool{}
	for _, l := range labels {
		t := byRule[l.rule]
		if t == nil {
			t = &tally{}
			byRule[l.rule] = t
		}
		k := key{l.pkg, l.file, l.rule, l.line}
		labeled[k] = true
		flagged := len(found[k]) > 0
		where := fmt.Sprintf("%s %s %s:%d", l.rule, l.pkg, l.file, l.line)
		switch {
		case l.leak && flagged:
			t.tp++
			hits = append(hits, where+": "+found[k][0].Message)
		case l.leak:
			t.fn++
			misses = append(misses, where+": "+l.why)
		case flagged:
			t.fp++
			falses = append(falses, where+": "+l.why+"\n      flagged: "+found[k][0].Message)
		default:
			t.tn++
		}
	}
	rules := make([]string, 0, len(byRule))
	for r := range byRule {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	fmt.Printf("%-8s %4s %4s %4s %4s %8s %8s %9s\n", "rule", "TP", "FN", "FP", "TN", "recall", "FP-rate", "precision")
	var all tally
	for _, r := range rules {
		t := byRule[r]
		printRow(r, *t)
		all.tp, all.fn, all.fp, all.tn = all.tp+t.tp, all.fn+t.fn, all.fp+t.fp, all.tn+t.tn
	}
	printRow("all", all)
	pkgs := map[string]bool{}
	for _, l := range labels {
		pkgs[l.pkg] = true
	}
	fmt.Printf("%d labeled cases from %d packages (LEAK004 counted per file)\n", len(labels), len(pkgs))
	section("missed (false negatives)", misses)
	section("false positives", falses)
	if verbose {
		section("true positives", hits)
		var extra []string
		for k, fs := range found {
			if k.line == 0 || labeled[k] || labeled[key{k.pkg, k.file, k.rule, 0}] {
				continue
			}
			if labeledFile(labels, k.pkg, k.file) {
				extra = append(extra, fmt.Sprintf("%s %s %s:%d: %s", k.rule, k.pkg, k.file, k.line, fs[0].Message))
			}
		}
		sort.Strings(extra)
		section("unlabeled findings in labeled files (not counted)", extra)
	}
}

func labeledFile(labels []label, pkg, file string) bool {
	for _, l := range labels {
		if l.pkg == pkg && l.file == file {
			return true
		}
	}
	return false
}

func printRow(name string, t tally) {
	fmt.Printf("%-8s %4d %4d %4d %4d %8s %8s %9s\n", name, t.tp, t.fn, t.fp, t.tn,
		pct(t.tp, t.tp+t.fn), pct(t.fp, t.fp+t.tn), pct(t.tp, t.tp+t.fp))
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return strconv.FormatFloat(100*float64(a)/float64(b), 'f', 1, 64) + "%"
}

func section(title string, lines []string) {
	if len(lines) == 0 {
		return
	}
	sort.Strings(lines)
	fmt.Printf("\n%s (%d):\n", title, len(lines))
	for _, l := range lines {
		fmt.Println("  " + l)
	}
}
