package regtest

import (
	"os"
	"path/filepath"
	"testing"
)

// The runner comes from the test script, else the dependencies, else it is
// node:test; the nearest package.json within the workspace decides.
func TestProjectOf(t *testing.T) {
	for _, tc := range []struct {
		pkg    string
		want   Framework
		module bool
	}{
		{`{"scripts":{"test":"vitest run"},"devDependencies":{"jest":"29"}}`, Vitest, false},
		{`{"scripts":{"test":"node --test test/"},"devDependencies":{"mocha":"10"}}`, NodeTest, false},
		{`{"scripts":{"test":"npm run lint"},"devDependencies":{"mocha":"10"}}`, Mocha, false},
		{`{"dependencies":{"jest":"29"},"type":"module"}`, Jest, true},
		{`{"jest":{"testEnvironment":"node"}}`, Jest, false},
		{`{"devDependencies":{"typescript":"5"}}`, NodeTest, false},
		{`not json`, NodeTest, false},
	} {
		root := t.TempDir()
		dir := filepath.Join(root, "src", "lib")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "package.json"), []byte(tc.pkg), 0o644); err != nil {
			t.Fatal(err)
		}
		if p := projectOf(dir, root); p.framework != tc.want || p.module != tc.module {
			t.Errorf("%s: %+v, want %s module=%v", tc.pkg, p, tc.want, tc.module)
		}
	}
}

// A package.json above the workspace folder is not the project's.
func TestProjectOfStopsAtRoot(t *testing.T) {
	outer := t.TempDir()
	if err := os.WriteFile(filepath.Join(outer, "package.json"), []byte(`{"devDependencies":{"vitest":"3"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(outer, "ws")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if p := projectOf(root, root); p.framework != NodeTest {
		t.Errorf("framework %s from above the workspace", p.framework)
	}
	if p := projectOf(root, ""); p.framework != Vitest {
		t.Errorf("without a workspace limit: %s, want vitest", p.framework)
	}
}
