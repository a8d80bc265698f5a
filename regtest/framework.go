package regtest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// Framework is the test runner a generated test is written for.
type Framework string

// The runners leaklsp/testing supports.
const (
	NodeTest Framework = "node:test"
	Jest     Framework = "jest"
	Vitest   Framework = "vitest"
	Mocha    Framework = "mocha"
)

// project is what the nearest package.json says about the code's tests.
type project struct {
	framework Framework
	module    bool // "type": "module": .js files are ES modules
}

type packageJSON struct {
	Type            string            `json:"type"`
	Scripts         map[string]string `json:"scripts"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Jest            json.RawMessage   `json:"jest"`
}

// projectOf reads the package.json nearest to dir, looking no higher than
// root (the workspace folder; "" for no limit). The test script names the
// runner if it calls one; else a runner among the dependencies does
// (vitest, jest, mocha, in that order, or a "jest" config); else node:test,
// which needs nothing installed.
func projectOf(dir, root string) project {
	for {
		raw, err := os.ReadFile(filepath.Join(dir, "package.json"))
		if err == nil {
			var p packageJSON
			if json.Unmarshal(raw, &p) == nil {
				return project{framework: frameworkOf(&p), module: p.Type == "module"}
			}
			return project{framework: NodeTest}
		}
		up := filepath.Dir(dir)
		if up == dir || root != "" && !within(root, dir) || dir == root {
			return project{framework: NodeTest}
		}
		dir = up
	}
}

func frameworkOf(p *packageJSON) Framework {
	script := p.Scripts["test"]
	for _, f := range []Framework{Vitest, Jest, Mocha} {
		if strings.Contains(script, string(f)) {
			return f
		}
	}
	if strings.Contains(script, "node --test") || strings.Contains(script, "node:test") {
		return NodeTest
	}
	for _, f := range []Framework{Vitest, Jest, Mocha} {
		if _, ok := p.DevDependencies[string(f)]; ok {
			return f
		}
		if _, ok := p.Dependencies[string(f)]; ok {
			return f
		}
	}
	if len(p.Jest) > 0 {
		return Jest
	}
	return NodeTest
}

// within reports whether path is root or below it.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
