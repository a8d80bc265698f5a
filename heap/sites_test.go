package heap

import (
	"path/filepath"
	"strings"
	"testing"
)

// siteAt finds the site of a kind at a 1-based manifest position.
func siteAt(sites []SiteStats, kind SiteKind, suffix string, line, col int) *SiteStats {
	for i, s := range sites {
		if s.Kind == kind && strings.HasSuffix(s.Site.Script, suffix) && s.Site.Line == line-1 && s.Site.Column == col-1 {
			return &sites[i]
		}
	}
	return nil
}

// localSnapshot returns the manifest entry of heap/testdata for a file.
func localSnapshot(t *testing.T, file string) (snap *Snapshot, base *Baseline, suffix string, expect, absent []localTruth) {
	t.Helper()
	var m localManifest
	readJSON(t, filepath.Join("testdata", "manifest.json"), &m)
	for _, e := range m.Snapshots {
		if e.File != file {
			continue
		}
		if e.Baseline != "" {
			base = NewBaseline(openSnapshot(t, filepath.Join("testdata", e.Baseline)))
		}
		return openSnapshot(t, filepath.Join("testdata", e.File)), base, e.Suffix, e.Expect, e.Absent
	}
	t.Fatalf("%s not in the manifest", file)
	return nil, nil, "", nil, nil
}

// TestSitesGrowth: the class whose instances accumulate and the class
// whose instances are replaced both show at their constructors, with the
// manifest's counts; only the objects not in the baseline count as new.
func TestSitesGrowth(t *testing.T) {
	snap, base, suffix, expect, absent := localSnapshot(t, "snapshots/growth-target.heapsnapshot.gz")
	sites := Sites(NewGraph(snap), SitesOptions{Baseline: base, Paths: 3})
	grow := expect[0] // CacheEntry: 100 at the baseline, +2000
	s := siteAt(sites, SiteInstances, suffix, grow.Line, grow.Column)
	if s == nil {
		t.Fatalf("no instances site at %d:%d; sites: %+v", grow.Line, grow.Column, sites)
	}
	if s.Count != grow.Count || s.New != grow.Growth || s.Name != "CacheEntry" {
		t.Errorf("CacheEntry site: %d objects, %d new, name %q; manifest: %d, %d new", s.Count, s.New, s.Name, grow.Count, grow.Growth)
	}
	if s.RetainedBytes < s.SelfBytes || s.SelfBytes == 0 {
		t.Errorf("sizes: self %d retained %d", s.SelfBytes, s.RetainedBytes)
	}
	if len(s.Paths) == 0 || !pathThrough(s.Paths[0], "cache") {
		t.Errorf("CacheEntry paths do not go through .cache: %+v", s.Paths)
	}
	churn := absent[0] // Session: 2000 replaced by 2000 fresh ones
	c := siteAt(sites, SiteInstances, suffix, churn.Line, churn.Column)
	if c == nil || c.Count != 2000 || c.New != 2000 {
		t.Errorf("Session site (2000 replaced by 2000 new, growth.js SESSIONS): %+v", c)
	}
}

func pathThrough(path []Hop, edge string) bool {
	for _, h := range path {
		if h.Edge == edge {
			return true
		}
	}
	return false
}

// TestSitesTimers: fired Timeouts count at their callback's function (the
// setTimeout line), distinct from the callback closures themselves.
func TestSitesTimers(t *testing.T) {
	snap, _, suffix, expect, _ := localSnapshot(t, "snapshots/timers-held.heapsnapshot.gz")
	sites := Sites(NewGraph(snap), SitesOptions{Paths: 3})
	for _, want := range expect {
		s := siteAt(sites, SiteTimers, suffix, want.Line, want.Column)
		if s == nil {
			t.Errorf("no timers site at %d:%d (%s)", want.Line, want.Column, want.Text)
			continue
		}
		if s.Count != want.Count || s.Name != "Timeout" {
			t.Errorf("timers at %d:%d: %d %s, manifest says %d Timeouts", want.Line, want.Column, s.Count, s.Name, want.Count)
		}
		if len(s.Paths) == 0 || s.Paths[len(s.Paths)-1][len(s.Paths[len(s.Paths)-1])-1].Node[:7] != "Timeout" {
			t.Errorf("timer paths do not end at a Timeout: %+v", s.Paths)
		}
	}
	for _, s := range sites {
		if !IsAppScript(s.Site.Script, false) {
			t.Errorf("site outside the application: %+v", s.Site)
		}
	}
}

// TestSitesThresholds: sites under both thresholds are dropped, Max keeps
// the largest.
func TestSitesThresholds(t *testing.T) {
	snap, _, _, _, _ := localSnapshot(t, "snapshots/timers-held.heapsnapshot.gz")
	g := NewGraph(snap)
	all := Sites(g, SitesOptions{})
	big := Sites(g, SitesOptions{MinCount: 50})
	if len(big) == 0 || len(big) >= len(all) {
		t.Fatalf("MinCount 50 kept %d of %d sites", len(big), len(all))
	}
	for _, s := range big {
		if s.Count < 50 {
			t.Errorf("site with %d objects kept by MinCount 50: %+v", s.Count, s.Site)
		}
	}
	top := Sites(g, SitesOptions{Max: 1})
	if len(top) != 1 || top[0].RetainedBytes != all[0].RetainedBytes {
		t.Errorf("Max 1 kept %+v, the largest is %+v", top, all[0])
	}
}
