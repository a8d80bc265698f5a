package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/jsscan"
)

// TestSARIFShape checks the log against the properties SARIF 2.1.0's schema
// marks required (sarifLog.version/runs, run.tool, tool.driver,
// toolComponent.name, reportingDescriptor.id, result.message,
// message.text, fix.artifactChanges, artifactChange.artifactLocation and
// replacements, replacement.deletedRegion) and the enums/minimums we use.
func TestSARIFShape(t *testing.T) {
	fx := fixtures(t)
	unmapped := timeoutSuspect()
	unmapped.Site.Script = "node:internal/timers"
	ds := build(t, fx, []heap.Suspect{timeoutSuspect(), unmapped}, []jsscan.Finding{timerFinding(fx, 29), timerFinding(fx, 10)})
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, ds, fx, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	var log map[string]any
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	c := checker{t: t}
	if c.str(log, "version") != "2.1.0" {
		t.Fatal("version != 2.1.0")
	}
	runs := c.arr(log, "runs")
	if len(runs) != 1 {
		t.Fatalf("runs = %d", len(runs))
	}
	run := runs[0].(map[string]any)
	driver := c.obj(c.obj(run, "tool"), "driver")
	if c.str(driver, "name") != "leaklsp" || c.str(driver, "version") != "1.2.3" {
		t.Errorf("driver = %v", driver)
	}
	ruleIDs := map[string]int{}
	for i, r := range c.arr(driver, "rules") {
		rule := r.(map[string]any)
		ruleIDs[c.str(rule, "id")] = i
		if c.str(rule, "helpUri") != DocURL(c.str(rule, "id")) {
			t.Errorf("rule %v helpUri", rule)
		}
	}
	results := c.arr(run, "results")
	if len(results) != len(ds) || len(ds) != 3 {
		t.Fatalf("results = %d, diagnostics = %d (want 3)", len(results), len(ds))
	}
	var sawFix, sawLogical, sawRelated bool
	for _, r := range results {
		res := r.(map[string]any)
		id := c.str(res, "ruleId")
		if idx, ok := ruleIDs[id]; !ok || int(res["ruleIndex"].(float64)) != idx {
			t.Errorf("result rule %s not in driver.rules at ruleIndex", id)
		}
		switch lv := c.str(res, "level"); lv {
		case "none", "note", "warning", "error":
		default:
			t.Errorf("level %q", lv)
		}
		c.str(c.obj(res, "message"), "text")
		for _, l := range c.arr(res, "locations") {
			loc := l.(map[string]any)
			if pl, ok := loc["physicalLocation"].(map[string]any); ok {
				c.str(c.obj(pl, "artifactLocation"), "uri")
				c.region(c.obj(pl, "region"))
			} else {
				ll := c.arr(loc, "logicalLocations")
				c.str(ll[0].(map[string]any), "fullyQualifiedName")
				sawLogical = true
			}
		}
		if rel, ok := res["relatedLocations"].([]any); ok {
			for _, l := range rel {
				loc := l.(map[string]any)
				if loc["id"].(float64) < -1 {
					t.Error("relatedLocation id < -1")
				}
				c.region(c.obj(c.obj(loc, "physicalLocation"), "region"))
				sawRelated = true
			}
		}
		if fixes, ok := res["fixes"].([]any); ok {
			for _, f := range fixes {
				fix := f.(map[string]any)
				changes := c.arr(fix, "artifactChanges")
				if len(changes) == 0 {
					t.Error("fix without artifactChanges")
				}
				for _, ch := range changes {
					change := ch.(map[string]any)
					c.str(c.obj(change, "artifactLocation"), "uri")
					reps := c.arr(change, "replacements")
					if len(reps) == 0 {
						t.Error("artifactChange without replacements")
					}
					for _, rp := range reps {
						c.region(c.obj(rp.(map[string]any), "deletedRegion"))
					}
				}
				sawFix = true
			}
		}
	}
	if !sawFix || !sawLogical || !sawRelated {
		t.Errorf("fix=%v logical=%v related=%v: want all", sawFix, sawLogical, sawRelated)
	}
}

type checker struct{ t *testing.T }

func (c checker) get(m map[string]any, k string) any {
	c.t.Helper()
	v, ok := m[k]
	if !ok {
		c.t.Fatalf("required property %q missing in %s", k, short(m))
	}
	return v
}

func (c checker) obj(m map[string]any, k string) map[string]any {
	c.t.Helper()
	v, ok := c.get(m, k).(map[string]any)
	if !ok {
		c.t.Fatalf("%q is not an object", k)
	}
	return v
}

func (c checker) arr(m map[string]any, k string) []any {
	c.t.Helper()
	v, ok := c.get(m, k).([]any)
	if !ok {
		c.t.Fatalf("%q is not an array", k)
	}
	return v
}

func (c checker) str(m map[string]any, k string) string {
	c.t.Helper()
	v, ok := c.get(m, k).(string)
	if !ok || v == "" {
		c.t.Fatalf("%q is not a non-empty string", k)
	}
	return v
}

func (c checker) region(m map[string]any) {
	c.t.Helper()
	for _, k := range []string{"startLine", "startColumn", "endLine", "endColumn"} {
		if n, ok := m[k].(float64); !ok || n < 1 {
			c.t.Errorf("region.%s = %v, want >= 1", k, m[k])
		}
	}
}

func short(m map[string]any) string {
	b, _ := json.Marshal(m)
	s := fmt.Sprint(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
