package jsscan

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"
)

// stripCase is TypeScript with its expected blanking marked by hand:
// ⟦x⟧ is TypeScript-only text that must become spaces, ⟦x→y⟧ text that
// must be replaced by y (same length). The source is the text with the
// markers and replacements removed.
func stripCase(marked string) (src, want string) {
	var s, w strings.Builder
	for {
		i := strings.Index(marked, "⟦")
		if i < 0 {
			s.WriteString(marked)
			w.WriteString(marked)
			return s.String(), w.String()
		}
		j := strings.Index(marked, "⟧")
		s.WriteString(marked[:i])
		w.WriteString(marked[:i])
		in := marked[i+len("⟦") : j]
		if old, repl, ok := strings.Cut(in, "→"); ok {
			s.WriteString(old)
			w.WriteString(repl)
		} else {
			s.WriteString(in)
			for _, c := range []byte(in) {
				if c == '\n' || c == '\r' {
					w.WriteByte(c)
				} else {
					w.WriteByte(' ')
				}
			}
		}
		marked = marked[j+len("⟧"):]
	}
}

func TestStripTypes(t *testing.T) {
	cases := []struct{ name, marked string }{
		{"annotations", "let x⟦: number⟧ = 1, y⟦!: string⟧;\nconst f = (a⟦: number⟧, b⟦?: string⟧)⟦: void⟧ => {};\n"},
		{"function", "function f⟦<T extends object = {}>⟧(⟦this: Foo, ⟧a⟦: T[]⟧, ...rest⟦: Array<Map<string, number>>⟧)⟦: Promise<T>⟧ { return g⟦<T>⟧(a)⟦ as any⟧; }\n"},
		{"comparisons stay", "if (a < b && c > d) { x = a < b > c; }\n"},
		{"generic call and new", "foo⟦<string>⟧('x'); new Map⟦<string, Set<number>>⟧(); const g = f⟦<T>⟧;\n"},
		{"casts and non-null", "let b = ⟦<any>⟧window; b = x⟦!⟧.y⟦!⟧; c = !d; e = x⟦!⟧ != y; z = y⟦ satisfies Z⟧; w = [1]⟦ as const⟧;\n"},
		{"generic arrow", "const a = ⟦<T,>⟧(x⟦: T⟧)⟦: T⟧ => x;\n"},
		{"interface and type alias", "⟦interface A extends B<C> { x: number; m(): void }⟧\n⟦export type X<T> = T extends string\n  ? 'a'\n  : { [K in keyof T]?: T[K] };⟧\nrun();\n"},
		{"type-only imports and exports", "⟦import type { Z } from './z';⟧\nimport { ⟦type Y, ⟧W } from './y';\n⟦export type { Q } from './q';⟧\nexport { ⟦type R, ⟧S };\n"},
		{"declare", "⟦declare const enum E { A }⟧\n⟦declare global { interface Window { q: 1 } }⟧\n⟦declare function d(): void;⟧\n⟦declare module 'm';⟧\n"},
		{"class", "class C⟦<T>⟧ extends Base⟦<T>⟧ ⟦implements I, J<K>⟧ {\n" +
			"  ⟦private⟧ ⟦readonly⟧ x⟦: number⟧ = 1;\n" +
			"  ⟦declare y: string;⟧\n" +
			"  static z⟦?⟧⟦:→;⟧⟦ number⟧\n" +
			"  ⟦[key: string]: any;⟧\n" +
			"  constructor(⟦private⟧ a⟦: number⟧, ⟦public⟧ b = 2) { super(); }\n" +
			"  ⟦m(a: string): void;⟧\n" +
			"  m(a⟦: any⟧)⟦: any⟧ { return a; }\n" +
			"  ⟦abstract n(): void;⟧\n" +
			"  get v()⟦: number⟧ { return 1 }\n" +
			"}\n"},
		{"abstract class and overloads", "export ⟦abstract⟧ class Q { ⟦protected abstract run(): Promise<void>;⟧ }\n⟦export function f(a: string): void;⟧\nexport function f(a⟦: any⟧) {}\n"},
		{"object methods", "const o = { m⟦<T>⟧(a⟦: T⟧)⟦: T⟧ { return a }, get x()⟦: number⟧ { return 1 }, async *g()⟦: AsyncGenerator<number>⟧ { yield* h() }, [k]: 1, s };\n"},
		{"for and catch", "for (const [k, v] of Object.entries(o)⟦ as [string, number][]⟧) {}\ntry {} catch (e⟦: unknown⟧) {}\n"},
		{"types with function types", "⟦type Fn = (a: number) => void;⟧\nlet t⟦: ReturnType<typeof setTimeout> | undefined⟧;\nexport const h = async (req⟦: Req⟧, res⟦: Res⟧)⟦: Promise<void>⟧ => { await x; };\n"},
		{"enum becomes an object", "⟦enum→var ⟧ Color⟦ →=⟧{ Red, Green ⟦=→:⟧ 2 }\nexport const ⟦enum⟧ Dir⟦ →=⟧{ Up ⟦=→:⟧ 'up' }\n"},
		{"import require", "⟦import→const ⟧ fs = require('fs');\n"},
		{"arrow type before a line break", "const f = (a⟦: A⟧)⟦: →=>⟧⟦B⟧\n  ⟦=>⟧ a;\n"},
		{"a blanked statement keeps statements apart", "x = y\n⟦t→;⟧⟦ype T = U⟧\n[1].map(f);\n"},
		{"a blanked modifier keeps members apart", "class A {\n  x = y\n  ⟦r→;⟧⟦eadonly⟧ [k] = 1;\n}\n"},
		{"readonly field named get before a getter", "class B {\n  ⟦readonly⟧ get⟦:→;⟧⟦ T⟧\n  get other()⟦: number⟧ { return 1 }\n}\n"},
		{"decorators", "⟦@Component({ a: 1 })⟧\nclass D {\n  ⟦@Input()⟧ name = '';\n  m(⟦@Inject(X)⟧ x) {}\n}\n"},
		{"definite field and optional method", "class E { x⟦!: number⟧; m⟦?⟧() {} }\n"},
		{"conditional type with infer constraint", "⟦type U<T> = T extends [infer X extends string] ? X : never;⟧\nu();\n"},
		{"division after non-null", "const r = a⟦!⟧ / 2 / b;\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src, want := stripCase(c.marked)
			out, _, ok := stripTypes([]byte(src))
			if !ok {
				t.Fatalf("not stripped:\n%s", src)
			}
			if string(out) != want {
				t.Errorf("stripped\n%s\ngot\n%q\nwant\n%q", src, out, want)
			}
			if _, err := js.Parse(parse.NewInputBytes(out), js.Options{}); err != nil {
				t.Errorf("the output is no JavaScript: %v\n%s", err, out)
			}
		})
	}
}

// TestStripTypesGivesUp lists syntax blanking cannot express: the file
// then takes esbuild's path.
func TestStripTypesGivesUp(t *testing.T) {
	for name, src := range map[string]string{
		"namespace":                  "namespace N { export const a = 1; }\n",
		"export =":                   "const a = 1;\nexport = a;\n",
		"line break after return":    "function f() {\n  return <\n    T,\n  >(x: T) => x;\n}\n",
		"export import":              "export import A = B.C;\n",
		"syntax error":               "let x: = 1;\n",
		"unclosed bracket":           "function f(a: number {\n",
		"enum brace on its own line": "enum E\n{ A }\n",
	} {
		if out, _, ok := stripTypes([]byte(src)); ok {
			t.Errorf("%s: stripped to\n%s", name, out)
		}
	}
}

// TestStripTypesKeepsLines: blanking never moves a line break, so that
// positions in the stripped text are positions in the file.
func TestStripTypesKeepsLines(t *testing.T) {
	src := "type A =\r\n  | 'a'\r\n  | 'b';\r\nlet x: {\n  a: string\n} = f<\n  T\n>(1);\n"
	out, _, ok := stripTypes([]byte(src))
	if !ok {
		t.Fatal("not stripped")
	}
	if len(out) != len(src) {
		t.Fatalf("length %d, want %d", len(out), len(src))
	}
	for i := range src {
		if (src[i] == '\n' || src[i] == '\r') != (out[i] == '\n' || out[i] == '\r') {
			t.Fatalf("line break moved at %d:\n%q", i, out)
		}
	}
}

// TestStripTypesAsync: the tsconfig rule asks whether code (not comments
// or types) mentions async or await.
func TestStripTypesAsync(t *testing.T) {
	for src, want := range map[string]bool{
		"// async is only in this comment\nlet x: Async = 1;\n": false,
		"type F = () => Promise<void>; /* await */\n":           false,
		"const f = async () => { await g(); };\n":               true,
		"const asyncStorage = 1;\n":                             true,
	} {
		if _, got, _ := stripTypes([]byte(src)); got != want {
			t.Errorf("%q: async %v, want %v", src, got, want)
		}
	}
}

// TestStripMatchesEsbuild: on the TypeScript testdata, scanning the
// blanked text finds what scanning esbuild's output finds.
func TestStripMatchesEsbuild(t *testing.T) {
	stripped := 0
	for _, path := range tsTestdata(t) {
		src := readFile(t, path)
		on := func(string) bool { return true }
		if _, _, ok := stripTypes(src); !ok {
			continue // a namespace, `await using`: esbuild's path either way
		}
		stripped++
		got := scanTypeScript(path, src, on, new(scratch))
		want := scanTS(path, src, langTS, on, new(scratch))
		sortFindings(got.findings)
		sortFindings(want.findings)
		if g, w := findingKeys(got.findings), findingKeys(want.findings); g != w {
			t.Errorf("%s:\nstripped: %s\nesbuild:  %s", path, g, w)
		}
	}
	if stripped < 3 {
		t.Errorf("only %d TypeScript testdata files stripped", stripped)
	}
}

// findingKeys is code, position and fix edits of each finding.
func findingKeys(fs []Finding) string {
	var b bytes.Buffer
	for _, f := range fs {
		b.WriteString(f.Code + "@" + itoa(f.Range.Start.Offset) + "-" + itoa(f.Range.End.Offset))
		for _, fx := range f.Fixes {
			for _, e := range fx.Edits {
				b.WriteString(" " + itoa(e.Range.Start.Offset) + ":" + e.NewText)
			}
		}
		b.WriteString("; ")
	}
	return b.String()
}

// tsTestdata lists the valid TypeScript files of testdata.
func tsTestdata(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/*/*.ts")
	if err != nil || len(files) == 0 {
		t.Fatalf("no TypeScript testdata: %v", err)
	}
	var out []string
	for _, f := range files {
		if !strings.Contains(f, "parse-error") {
			out = append(out, f)
		}
	}
	return out
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestStripCorpus checks the blanking on real TypeScript against esbuild:
//
//	LEAKLSP_TS_CORPUS="$LEAKLSP_CACHE/leak-corpus $LEAKLSP_CACHE/jsscan-corpus/node_modules" \
//	  go test -run StripCorpus ./jsscan
//
// For every .ts file that is stripped, the output must parse, esbuild must
// print the same JavaScript for it as for the TypeScript (unless the file
// has one of the forms whose output legitimately differs: enums, parameter
// properties, decorators, import aliases), and the findings must be those
// of esbuild's path.
func TestStripCorpus(t *testing.T) {
	roots := strings.Fields(os.Getenv("LEAKLSP_TS_CORPUS"))
	if len(roots) == 0 {
		t.Skip("LEAKLSP_TS_CORPUS is not set")
	}
	var files, stripped, compared, sameCode, sameFindings int
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || langOf(path) != langTS {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return nil
			}
			files++
			out, _, ok := stripTypes(src)
			if !ok {
				return nil
			}
			stripped++
			if _, err := js.Parse(parse.NewInputBytes(out), js.Options{}); err != nil {
				t.Errorf("%s: stripped text does not parse: %v", path, err)
				return nil
			}
			if !differsFromEsbuild(src) {
				compared++
				if a, b := esbuildJS(string(out)), esbuildJS(string(src)); a == b {
					sameCode++
				} else {
					t.Errorf("%s: esbuild prints other JavaScript for the stripped text", path)
				}
			}
			on := func(string) bool { return true }
			got, want := scanTypeScript(path, src, on, new(scratch)), scanTS(path, src, langTS, on, new(scratch))
			sortFindings(got.findings)
			sortFindings(want.findings)
			if g, w := findingKeys(got.findings), findingKeys(want.findings); g == w {
				sameFindings++
			} else {
				t.Errorf("%s:\nstripped: %s\nesbuild:  %s", path, g, w)
			}
			return nil
		})
	}
	t.Logf("%d .ts files, %d stripped; same JavaScript %d/%d compared; same findings %d/%d",
		files, stripped, sameCode, compared, sameFindings, stripped)
}

// esbuildJS is esbuild's JavaScript for a TypeScript text, comments and
// layout and empty statements removed (MinifySyntax: the rewrites are
// the same for both texts), class fields kept in place (define semantics).
func esbuildJS(code string) string {
	r := api.Transform(code, api.TransformOptions{Loader: api.LoaderTS, Target: api.ESNext,
		LogLevel: api.LogLevelSilent, LegalComments: api.LegalCommentsNone, MinifyWhitespace: true, MinifySyntax: true,
		TsconfigRaw: `{"compilerOptions":{"useDefineForClassFields":true}}`,
		Supported:   map[string]bool{"decorators": false, "using": false}})
	if len(r.Errors) > 0 {
		return "error: " + r.Errors[0].Text
	}
	return string(r.Code)
}

// differsFromEsbuild reports the forms esbuild rewrites where blanking
// keeps JavaScript of the same meaning to the rules: enums (an IIFE
// there, an object here), parameter properties (this.x = x), decorators,
// import aliases (dropped when unused), a shebang (kept by esbuild).
func differsFromEsbuild(src []byte) bool {
	buf := append(append([]byte(nil), src...), 0)[:len(src)]
	toks, _ := lexTS(buf)
	inCtor := false
	for i, tk := range toks {
		w := string(buf[tk.off:tk.end])
		switch {
		case tk.tt == js.EnumToken, w == "@", w == "import" && i+2 < len(toks) && toks[i+2].tt == js.EqToken:
			return true
		case w == "constructor" && i+1 < len(toks) && toks[i+1].tt == js.OpenParenToken:
			inCtor = true
		case inCtor && tk.tt == js.CloseParenToken && int(toks[i].match) >= 0 && i > 0 && buf[toks[tk.match-1].off] == 'c':
			inCtor = false
		case inCtor && (w == "private" || w == "public" || w == "protected" || w == "readonly"):
			return true
		}
	}
	return bytes.HasPrefix(src, []byte("#!"))
}
