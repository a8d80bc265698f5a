package sourcemap

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leaklsp/leaklsp/internal/shared"
)

func fixtureDir(t testing.TB) string {
	return filepath.Join(shared.HeapFixtures(t), "e-ts-awaiter")
}

// position finds the 0-based line and UTF-16 column of the text after "@@"
// in the marked needle, the way the fixtures' manifest records positions.
func position(t *testing.T, text, marked string) (int, int) {
	t.Helper()
	needle := strings.Replace(marked, "@@", "", 1)
	at := strings.Index(text, needle)
	if at < 0 {
		t.Fatalf("cannot find %q", needle)
	}
	off := at + strings.Index(marked, "@@")
	before := text[:off]
	line := strings.Count(before, "\n")
	return line, off - (strings.LastIndex(before, "\n") + 1)
}

// TestLookupTSCOutput maps positions in real tsc output back to the .ts
// file. The expected TS positions come from the source text, not from this
// package.
func TestLookupTSCOutput(t *testing.T) {
	dir := fixtureDir(t)
	data, err := os.ReadFile(filepath.Join(dir, "worker.js.map"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := os.ReadFile(filepath.Join(dir, "worker.js"))
	ts, _ := os.ReadFile(filepath.Join(dir, "worker.ts"))
	cases := []struct{ js, ts string }{
		{"const next = @@new Async(this.id + 1);", "const next = @@new Async(this.id + 1);"},
		{"yield @@next.run();", "await @@next.run();"},
		{"@@runs++;\n            yield sleep(2);", "@@runs++;\n    await sleep(2);"},
		{"function @@sleep(ms) {", "function @@sleep(ms: number)"},
	}
	for _, c := range cases {
		gl, gc := position(t, string(js), c.js)
		wl, wc := position(t, string(ts), c.ts)
		src, l, col, ok := m.Lookup(gl, gc)
		if !ok || src != "worker.ts" || l != wl || col != wc {
			t.Errorf("Lookup(%d,%d) for %q = %q %d:%d %v, want worker.ts %d:%d", gl, gc, c.js, src, l, col, ok, wl, wc)
		}
	}
	// The generator's function start (what V8 reports) lies on tsc's
	// unmapped wrapper line; Nearest maps it to the async method it was
	// lowered from.
	gl, gc := position(t, string(js), "return __awaiter(this, void 0, void 0, function* @@() {\n            runs++")
	wl, _ := position(t, string(ts), "async run@@(): Promise<void> {")
	if _, _, _, ok := m.Lookup(gl, gc); ok {
		t.Errorf("wrapper line has a mapping; the Nearest test below proves nothing")
	}
	if _, l, _, ok := m.Nearest(gl, gc); !ok || l != wl {
		t.Errorf("Nearest: generator start maps to line %d (ok=%v), want %d", l, ok, wl)
	}
	// The __awaiter helper is injected code: no mapping.
	if _, _, _, ok := m.Lookup(3, 10); ok {
		t.Errorf("helper line mapped to a source")
	}
}

func TestParseErrors(t *testing.T) {
	bad := map[string]string{
		"not json":      `{`,
		"version 2":     `{"version":2,"sources":[],"mappings":""}`,
		"index map":     `{"version":3,"sections":[]}`,
		"bad base64":    `{"version":3,"sources":["a"],"mappings":"AA!A"}`,
		"truncated vlq": `{"version":3,"sources":["a"],"mappings":"AAg"}`,
		"bad source":    `{"version":3,"sources":["a"],"mappings":"ACAA"}`,
		"two fields":    `{"version":3,"sources":["a"],"mappings":"AA"}`,
	}
	for name, doc := range bad {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestSourceRoot(t *testing.T) {
	doc, _ := json.Marshal(map[string]any{"version": 3, "sourceRoot": "src", "sources": []string{"a.ts", "/abs/b.ts"}, "mappings": "AAAA,KCCE"})
	m, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	if src, l, c, ok := m.Lookup(0, 1); !ok || src != "src/a.ts" || l != 0 || c != 0 {
		t.Errorf("got %q %d:%d %v", src, l, c, ok)
	}
	if src, l, c, ok := m.Lookup(0, 7); !ok || src != "/abs/b.ts" || l != 1 || c != 2 {
		t.Errorf("got %q %d:%d %v", src, l, c, ok)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"version":3,"sources":["a"],"names":[],"mappings":"AAAA;AACA,EAAE"}`))
	f.Add([]byte(`{"version":3,"sources":["a"],"mappings":";;gBAAgB"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			return
		}
		for l := -1; l < 4; l++ {
			m.Lookup(l, 0)
			m.Lookup(l, 1<<20)
		}
	})
}

// FromMappings gives the same lookups as Parse of the document holding the
// same mappings (an esbuild map of `const a = 1;\nlet b = a + 2;\n`).
func TestFromMappingsMatchesParse(t *testing.T) {
	const mappings = "AAAA,MAAM,IAAI;AACV,IAAI,IAAI,IAAI;"
	doc := `{"version": 3, "sources": ["x.ts"], "mappings": "` + mappings + `", "names": []}`
	want, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	got, err := FromMappings([]string{"x.ts"}, mappings)
	if err != nil {
		t.Fatal(err)
	}
	for line := 0; line < 3; line++ {
		for col := 0; col < 16; col++ {
			s1, l1, c1, ok1 := want.Lookup(line, col)
			s2, l2, c2, ok2 := got.Lookup(line, col)
			if s1 != s2 || l1 != l2 || c1 != c2 || ok1 != ok2 {
				t.Errorf("Lookup(%d, %d): FromMappings %q %d:%d %v, Parse %q %d:%d %v",
					line, col, s2, l2, c2, ok2, s1, l1, c1, ok1)
			}
		}
	}
	if _, err := FromMappings([]string{"x.ts"}, "A!"); err == nil {
		t.Error("FromMappings of a malformed string: no error")
	}
}
