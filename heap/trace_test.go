package heap

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
)

// TestAllocationSiteFixtures checks the first application frame of
// allocation stacks against the manifest's measured top_app_frames of the
// tracked snapshots (groups matched by node type and name only).
func TestAllocationSiteFixtures(t *testing.T) {
	dir := fixturesDir(t)
	var m struct {
		Snapshots []struct {
			File    string `json:"file"`
			Tracked bool   `json:"allocation_tracking"`
			GT      struct {
				Groups []struct {
					ID    string          `json:"id"`
					Match json.RawMessage `json:"match"`
					Meas  struct {
						Allocation *struct {
							Top []struct {
								File   string `json:"file"`
								Line   int    `json:"line"`
								Column int    `json:"column"`
								Count  int    `json:"count"`
							} `json:"top_app_frames"`
						} `json:"allocation"`
					} `json:"measured"`
				} `json:"groups"`
			} `json:"ground_truth"`
		} `json:"snapshots"`
	}
	readJSON(t, filepath.Join(dir, "manifest.json"), &m)
	checked := 0
	for _, snap := range m.Snapshots {
		if !snap.Tracked {
			continue
		}
		s := openSnapshot(t, filepath.Join(dir, snap.File))
		if len(s.TraceFunctions) == 0 {
			t.Errorf("%s: tracked snapshot without trace functions", snap.File)
			continue
		}
		loc := NewLocator(s)
		for _, g := range snap.GT.Groups {
			var match map[string]any
			if err := json.Unmarshal(g.Match, &match); err != nil {
				t.Fatal(err)
			}
			name, _ := match["node_name"].(string)
			if len(match) != 2 || match["node_type"] != "object" || name == "" || g.Meas.Allocation == nil {
				continue // needs retainer or closure matching: not a plain name group
			}
			got := map[string]int{}
			for v := range uint32(s.NodeCount()) {
				if s.NodeKinds[v] != NodeObject || s.Name(v) != name {
					continue
				}
				if site, ok := loc.AllocationSite(v, false); ok {
					got[fmt.Sprintf("%s:%d:%d", filepath.Base(site.Script), site.Line+1, site.Column+1)]++
				}
			}
			for _, f := range g.Meas.Allocation.Top {
				if f.File == "" {
					continue // "no app frame" bucket
				}
				key := fmt.Sprintf("%s:%d:%d", filepath.Base(f.File), f.Line, f.Column)
				if got[key] != f.Count {
					t.Errorf("%s %s: %d objects allocated at %s, manifest says %d (got %v)", snap.File, g.ID, got[key], key, f.Count, got)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no allocation frames checked")
	}
	t.Logf("checked %d allocation frames", checked)
}
