package heap

import (
	"path/filepath"
	"testing"
)

// TestLocateFixtures resolves every closure's site and checks the
// manifest's closure groups: the number of closures whose site is the
// group's closure_at must equal the measured count, and the script name
// must be the path the manifest says the snapshot embeds.
func TestLocateFixtures(t *testing.T) {
	dir := fixturesDir(t)
	var m fixtureManifest
	readJSON(t, filepath.Join(dir, "manifest.json"), &m)
	checked := 0
	for _, snap := range m.Snapshots {
		s := openSnapshot(t, filepath.Join(dir, snap.File))
		loc := NewLocator(s)
		found := false
		for _, l := range s.Locations {
			found = found || loc.ScriptName(l.ScriptID) == snap.ScriptPathInSnap
		}
		if !found {
			t.Errorf("%s: no script named %s", snap.File, snap.ScriptPathInSnap)
		}
		for _, g := range snap.GroundTruth.Groups {
			pos := g.Match.ClosureAt
			if g.Role != "closure" || pos == nil {
				continue
			}
			n := 0
			for v := range uint32(s.NodeCount()) {
				if s.NodeKinds[v] != NodeClosure {
					continue
				}
				if site, ok := loc.Site(v); ok && pos.at(site) {
					n++
				}
			}
			if n != g.Measured.Count {
				t.Errorf("%s %s: %d closures at %s, manifest measured %d", snap.File, g.ID, n, pos, g.Measured.Count)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no closure group checked")
	}
}

// TestIsAppScript pins which scripts count as application code.
func TestIsAppScript(t *testing.T) {
	for _, c := range []struct {
		script string
		nm     bool
		want   bool
	}{
		{"/srv/app/a.js", false, true},
		{"file:///srv/app/a.mjs", false, true},
		{"node:internal/timers", false, false},
		{"", false, false},
		{"/srv/app/node_modules/x/index.js", false, false},
		{"/srv/app/node_modules/x/index.js", true, true},
		{`C:\app\node_modules\x\index.js`, false, false},
	} {
		if got := IsAppScript(c.script, c.nm); got != c.want {
			t.Errorf("IsAppScript(%q, %v) = %v, want %v", c.script, c.nm, got, c.want)
		}
	}
}
