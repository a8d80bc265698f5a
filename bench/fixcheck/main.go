// Command fixcheck is the fix-verification harness: it scans each package
// of the corpus, applies every safe fix (what `leaklsp check --fix` applies)
// to a copy of the package, and checks the result with the real tools:
// `node --check` on every changed JavaScript file, require()/import() of the
// package entry and of each changed file (with the package's dependencies
// installed by npm into the cache), and `tsc --noEmit` where the package
// ships a tsconfig.json and a changed file is TypeScript. A load or type
// check that already fails before the fix is reported as skipped, not as a
// failure; anything that passes before and fails after is a failure.
//
//	dir=$(bash bench/corpus/install.sh)
//	go run ./bench/fixcheck -tsc "$LEAKLSP_TSC" "$dir"
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/leaklsp/leaklsp/jsscan"
)

func main() {
	tsc := flag.String("tsc", os.Getenv("LEAKLSP_TSC"), "tsc binary for TypeScript checks")
	list := flag.Bool("list", false, "only list the fixes (safe and not), apply nothing")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: fixcheck [-tsc TSC] [-list] CORPUS_DIR")
		os.Exit(2)
	}
	root := flag.Arg(0)
	pkgs, err := os.ReadDir(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var h harness
	h.tsc, h.root = *tsc, root
	for _, d := range pkgs {
		if !d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			continue
		}
		if err := h.checkPackage(root, d.Name(), *list); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", d.Name(), err)
			h.failures++
		}
	}
	fmt.Printf("\n%d safe fixes applied in %d files of %d packages; %d not-safe fixes offered; %d checks passed, %d skipped (failing before the fix too), %d failures\n",
		h.safe, h.files, h.pkgs, h.unsafe, h.passed, h.skipped, h.failures)
	if h.failures > 0 {
		os.Exit(1)
	}
}

type harness struct {
	root                                                 string // the corpus; @types/node is installed under .types for TypeScript checks
	tsc                                                  string
	safe, unsafe, files, pkgs, passed, skipped, failures int
}

// checkPackage applies the safe fixes of one package and checks them.
func (h *harness) checkPackage(root, name string, list bool) error {
	dir := filepath.Join(root, name)
	fs, err := jsscan.ScanDir(dir, jsscan.DirOptions{IncludeNodeModules: true})
	if err != nil {
		return err
	}
	edits := map[string][]jsscan.Edit{}
	for _, f := range fs {
		for _, fx := range f.Fixes {
			rel, _ := filepath.Rel(dir, f.Path)
			if !fx.Safe {
				h.unsafe++
				if list {
					fmt.Printf("  not safe  %s %s:%d: %s\n", name, rel, f.Range.Start.Line+1, fx.Title)
				}
				continue
			}
			if overlaps(edits, fx.Edits) {
				continue // --fix applies the first of two fixes that touch the same text
			}
			h.safe++
			if list {
				fmt.Printf("  safe      %s %s:%d: %s\n", name, rel, f.Range.Start.Line+1, fx.Title)
			}
			for _, e := range fx.Edits {
				edits[e.Path] = append(edits[e.Path], e)
			}
		}
	}
	if len(edits) == 0 || list {
		return nil
	}
	h.pkgs++
	work, err := os.MkdirTemp("", "fixcheck-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	before, after := filepath.Join(work, "before"), filepath.Join(work, "after")
	for _, d := range []string{before, after} {
		if out, err := exec.Command("cp", "-r", dir, d).CombinedOutput(); err != nil {
			return fmt.Errorf("copy: %v: %s", err, out)
		}
	}
	var changed []string
	for path, es := range edits {
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out, err := jsscan.ApplyEdits(src, es)
		if err != nil {
			h.failures++
			fmt.Printf("FAIL %s: %v\n", path, err)
			continue
		}
		rel, _ := filepath.Rel(dir, path)
		if err := os.WriteFile(filepath.Join(after, rel), out, 0o644); err != nil {
			return err
		}
		changed = append(changed, rel)
		h.files++
	}
	sort.Strings(changed)
	deps := h.installDeps(root, name, dir)
	for _, d := range []string{before, after} {
		if deps != "" {
			_ = os.Symlink(deps, filepath.Join(d, "node_modules"))
		}
	}
	for _, rel := range changed {
		switch filepath.Ext(rel) {
		case ".js", ".cjs", ".mjs":
			h.compare(name, "node --check "+rel, before, after, "node", "--check", rel)
			h.compare(name, "load "+rel, before, after, "node", "-e", loadScript("./"+rel))
		}
	}
	h.compare(name, "load package entry", before, after, "node", "-e", loadScript("."))
	h.typeCheck(name, before, after, changed)
	return nil
}

// loadScript require()s a CommonJS module and falls back to import() for
// ES modules.
func loadScript(spec string) string {
	return fmt.Sprintf(`const p=require("path").resolve(%q);try{require(p)}catch(e){if(e.code!=="ERR_REQUIRE_ESM"&&e.code!=="ERR_REQUIRE_ASYNC_MODULE")throw e;import(require("url").pathToFileURL(require.resolve(p)).href).catch(e=>{console.error(e);process.exit(1)})}`, spec)
}

// compare runs one command in the copy before and after the fixes.
func (h *harness) compare(pkg, what, before, after string, name string, args ...string) {
	run := func(dir string) (bool, string) {
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		return err == nil, string(out)
	}
	okBefore, _ := run(before)
	okAfter, out := run(after)
	switch {
	case okAfter:
		h.passed++
	case !okBefore:
		h.skipped++
		fmt.Printf("skip %s: %s fails before the fixes too\n", pkg, what)
	default:
		h.failures++
		fmt.Printf("FAIL %s: %s\n%s\n", pkg, what, firstLines(out, 8))
	}
}

// typeCheck runs tsc --noEmit on the package's tsconfig before and after,
// and fails on a diagnostic in a changed .ts file that was not there before.
func (h *harness) typeCheck(pkg, before, after string, changed []string) {
	var ts []string
	for _, c := range changed {
		if strings.HasSuffix(c, ".ts") {
			ts = append(ts, c)
		}
	}
	if len(ts) == 0 {
		return
	}
	types := filepath.Join(h.root, ".types")
	if _, err := os.Stat(filepath.Join(types, "node_modules", "@types", "node")); err != nil {
		_ = os.MkdirAll(types, 0o755)
		cmd := exec.Command("npm", "install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", "@types/node@22.10.2")
		cmd.Dir = types
		_ = cmd.Run()
	}
	if h.tsc == "" {
		h.skipped++
		fmt.Printf("skip %s: no tsc (source scripts/setup-tsc.sh)\n", pkg)
		return
	}
	diags := func(dir string) (map[string]bool, bool) {
		args := []string{"--noEmit", "-p", "tsconfig.json"}
		if _, err := os.Stat(filepath.Join(dir, "tsconfig.json")); err != nil {
			// No tsconfig shipped: check the changed files alone, strictly
			// (strictNullChecks is what a null release can break).
			args = append([]string{"--noEmit", "--strict", "--skipLibCheck", "--target", "es2022",
				"--module", "commonjs", "--moduleResolution", "node", "--types", "node",
				"--typeRoots", filepath.Join(h.root, ".types", "node_modules", "@types")}, ts...)
		}
		cmd := exec.Command(h.tsc, args...)
		cmd.Dir = dir
		out, _ := cmd.CombinedOutput()
		set := map[string]bool{}
		for _, l := range strings.Split(string(out), "\n") {
			for _, c := range ts {
				if strings.HasPrefix(l, c+"(") {
					// position-free: the fix shifts lines
					set[c+":"+l[strings.Index(l, "):")+2:]] = true
				}
			}
		}
		return set, true
	}
	b, _ := diags(before)
	a, _ := diags(after)
	var added []string
	for d := range a {
		if !b[d] {
			added = append(added, d)
		}
	}
	if len(added) > 0 {
		h.failures++
		sort.Strings(added)
		fmt.Printf("FAIL %s: tsc --noEmit reports new errors:\n  %s\n", pkg, strings.Join(added, "\n  "))
		return
	}
	h.passed++
}

// installDeps installs the package's dependencies once into the cache
// (npm, no scripts) and returns their node_modules, or "".
func (h *harness) installDeps(root, name, dir string) string {
	target := filepath.Join(root, ".deps", name)
	nm := filepath.Join(target, "node_modules")
	if _, err := os.Stat(filepath.Join(target, ".ok")); err == nil {
		return nm
	}
	if err := os.MkdirAll(target, 0o755); err != nil {
		return ""
	}
	pj, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return ""
	}
	if err := os.WriteFile(filepath.Join(target, "package.json"), pj, 0o644); err != nil {
		return ""
	}
	cmd := exec.Command("npm", "install", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--legacy-peer-deps", "--no-package-lock")
	cmd.Dir = target
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Printf("note %s: npm install failed, loading without dependencies: %s\n", name, firstLines(string(out), 3))
		return ""
	}
	_ = os.WriteFile(filepath.Join(target, ".ok"), nil, 0o644)
	return nm
}

func overlaps(have map[string][]jsscan.Edit, es []jsscan.Edit) bool {
	for _, e := range es {
		for _, o := range have[e.Path] {
			if e.Range.Start.Offset < o.Range.End.Offset && o.Range.Start.Offset < e.Range.End.Offset ||
				e.Range.Start.Offset == o.Range.Start.Offset {
				return true
			}
		}
	}
	return false
}

func firstLines(s string, n int) string {
	ls := strings.Split(strings.TrimSpace(s), "\n")
	if len(ls) > n {
		ls = ls[:n]
	}
	return strings.Join(ls, "\n")
}
