package jsscan

import (
	"bytes"
	"strings"
	"testing"
)

// The verdicts below come from what the code does at run time once the
// field holds null (read by hand), not from the scanner's output.
func TestFixSafety(t *testing.T) {
	cases := []struct {
		name, path, src string
		safe            bool   // the fix is applied by --fix
		why             string // substring of the title of a not-safe fix
		text            string // the release statement the fix inserts
	}{
		{"stores and clears only", "a.js", `class A {
  arm() { this.t = setTimeout(() => { this.run(); }, 10); }
  close() { clearTimeout(this.t); }
}`, true, "", "this.t = null;"},
		{"unref elsewhere throws on null", "a.js", `class A {
  arm() { this.t = setTimeout(() => { this.run(); }, 10); }
  detach() { this.t.unref(); }
  close() { clearTimeout(this.t); }
}`, false, "this.t.unref without a null check", ""},
		{"refresh heartbeat re-arms", "a.js", `class A {
  arm() { this.t = setTimeout(() => { this.ping(); }, 10); }
  beat() { this.t.refresh(); }
}`, false, "this.t.refresh without a null check", ""},
		{"a test that would start a new timer after close", "a.js", `class A {
  arm() {
    if (!this.t) {
      this.t = setTimeout(() => { this.run(); }, 10);
    }
  }
  close() { clearTimeout(this.t); }
}`, false, "tests this.t", ""},
		{"guarded clear", "a.js", `class A {
  arm() { this.t = setTimeout(() => { this.run(); }, 10); }
  close() { if (this.t) { clearTimeout(this.t); } }
}`, true, "", "this.t = null;"},
		{"optional chaining", "a.js", `class A {
  arm() { this.t = setTimeout(() => { this.run(); }, 10); }
  detach() { this.t?.unref(); }
  close() { clearTimeout(this.t); }
}`, true, "", "this.t = null;"},
		{"unref right after arming", "a.js", `class A {
  arm() {
    this.t = setTimeout(() => { this.run(); }, 10);
    this.t.unref();
  }
  close() { clearTimeout(this.t); }
}`, true, "", "this.t = null;"},
		{"TypeScript optional field takes undefined", "a.ts", `class A {
  private t?: NodeJS.Timeout;
  arm(): void { this.t = setTimeout(() => { this.run(); }, 10); }
  run(): void {}
  close(): void { clearTimeout(this.t); }
}`, true, "", "this.t = undefined;"},
		{"TypeScript nullable field takes null", "a.ts", `class A {
  private t: NodeJS.Timeout | null = null;
  arm(): void { this.t = setTimeout(() => { this.run(); }, 10); }
  run(): void {}
  close(): void { clearTimeout(this.t!); }
}`, true, "", "this.t = null;"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fx := fixOf(t, Scan(c.path, []byte(c.src)))
			if fx == nil {
				t.Fatalf("no LEAK001 fix")
			}
			if fx.Safe != c.safe || fx.Preferred != c.safe {
				t.Errorf("safe=%v preferred=%v, want %v: %s", fx.Safe, fx.Preferred, c.safe, fx.Title)
			}
			if c.why != "" && !strings.Contains(fx.Title, c.why) {
				t.Errorf("title %q does not say %q", fx.Title, c.why)
			}
			if c.text != "" && !strings.Contains(fx.Edits[0].NewText, c.text) {
				t.Errorf("inserts %q, want %q", fx.Edits[0].NewText, c.text)
			}
		})
	}
}

// A field whose declared type admits neither null nor undefined gets no
// fix: the edit would not compile under strictNullChecks.
func TestFixRespectsDeclaredType(t *testing.T) {
	src := `class A {
  private t: NodeJS.Timeout;
  arm(): void { this.t = setTimeout(() => { this.run(); }, 10); }
  run(): void {}
}`
	fs := Scan("a.ts", []byte(src))
	if len(fs) != 1 || fs[0].Code != CodeTimerToken {
		t.Fatalf("want one LEAK001, got %+v", fs)
	}
	if len(fs[0].Fixes) != 0 {
		t.Errorf("a non-nullable field got a fix: %+v", fs[0].Fixes)
	}
}

// Inserted lines keep a CRLF file's line endings.
func TestFixKeepsCRLF(t *testing.T) {
	src := strings.ReplaceAll(`class A {
  arm() {
    this.t = setTimeout(() => {
      this.run();
    }, 10);
  }
  close() {
    clearTimeout(this.t);
  }
}
`, "\n", "\r\n")
	fx := fixOf(t, Scan("a.js", []byte(src)))
	if fx == nil {
		t.Fatal("no fix")
	}
	out, err := ApplyEdits([]byte(src), fx.Edits)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(out, []byte("\n")); n != bytes.Count(out, []byte("\r\n")) {
		t.Errorf("mixed line endings after the fix:\n%q", out)
	}
	if !bytes.Contains(out, []byte("clearTimeout(this.t);\r\n    this.t = null;\r\n")) {
		t.Errorf("release not on its own CRLF line:\n%q", out)
	}
}

func fixOf(t *testing.T, fs []Finding) *Fix {
	t.Helper()
	for _, f := range fs {
		if f.Code == CodeTimerToken && len(f.Fixes) > 0 {
			return &f.Fixes[0]
		}
	}
	return nil
}
