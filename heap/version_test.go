package heap

import "testing"

func TestParseNodeVersion(t *testing.T) {
	for in, want := range map[string]string{"v20.3.1": "v20.3.1", "12.16.0": "v12.16.0", "v26.12.1": "v26.12.1"} {
		if v, ok := ParseNodeVersion(in); !ok || v.String() != want {
			t.Errorf("ParseNodeVersion(%q) = %v, %v; want %s", in, v, ok, want)
		}
	}
	for _, bad := range []string{"", "v", "v20", "v20.3", "v20.x.1", "1.2.3.4", "v0.0.0", "v-1.2.3"} {
		if v, ok := ParseNodeVersion(bad); ok {
			t.Errorf("ParseNodeVersion(%q) = %v, want failure", bad, v)
		}
	}
}

// TestKnownBugs pins the affected ranges to the bug reports: #53335 leaks
// on 18.16, 20.3.1, 21.2.0, fixed in 20.16/22.4/23.0; #48604 on 18.16 and
// 20.3.x, fixed by #48611 (18.17.0, 20.4.0); #48373 (https close) on
// 18.0-18.18 and 19.x/20.0-20.3, fixed in 18.19.0 and 20.4.0; v8:10031 on 11.0-12.15.0,
// fixed in 12.16.0. An unknown version is never blamed.
func TestKnownBugs(t *testing.T) {
	cases := []struct {
		bug      *KnownBug
		affected []string
		fixed    []string
	}{
		{BugPrimitiveTimers, []string{"14.21.3", "16.20.2", "18.16.0", "20.3.1", "20.15.1", "21.2.0", "22.3.0"},
			[]string{"12.15.0", "12.16.0", "20.16.0", "20.20.2", "22.4.0", "23.0.0", "24.22.3", "26.12.1"}},
		{BugServerInterval, []string{"18.16.0", "19.9.0", "20.3.1", "20.3.0"},
			[]string{"12.15.0", "16.20.2", "18.17.0", "20.4.0", "20.20.2", "22.23.5"}},
		{BugHTTPSCloseInterval, []string{"18.0.0", "18.16.0", "18.17.0", "19.9.0", "20.3.1"},
			[]string{"16.20.2", "18.19.0", "18.20.4", "20.4.0", "20.20.2", "22.23.5"}},
		{BugGeneratorPrototypeUsers, []string{"11.0.0", "12.0.0", "12.15.0"},
			[]string{"10.24.1", "12.16.0", "14.21.3", "26.12.1"}},
	}
	for _, c := range cases {
		for _, s := range c.affected {
			if v, _ := ParseNodeVersion(s); !c.bug.Affects(v) {
				t.Errorf("%s: %s should be affected", c.bug.ID, s)
			}
		}
		for _, s := range c.fixed {
			if v, _ := ParseNodeVersion(s); c.bug.Affects(v) {
				t.Errorf("%s: %s should not be affected", c.bug.ID, s)
			}
		}
		if c.bug.Affects(NodeVersion{}) {
			t.Errorf("%s: unknown version blamed", c.bug.ID)
		}
	}
}

// TestIsBuiltinScript: Node's own scripts in every naming are builtins
// (never blamed, never suffix-mapped); application paths never are, even
// when their file name is a builtin's.
func TestIsBuiltinScript(t *testing.T) {
	for script, want := range map[string]bool{
		"node:events":                  true,
		"node:internal/timers":         true,
		"internal/timers.js":           true, // Node ≤ 14
		"events.js":                    true,
		"timers.js":                    true,
		"_http_server.js":              true,
		"fs/promises.js":               true,
		"/srv/app/src/events.js":       false,
		"/srv/app/timers.js":           false,
		`C:\app\events.js`:             false,
		"file:///srv/app/events.mjs":   false,
		"/srv/app/node_modules/x/a.js": false,
		"webpack://app/./src/a.js":     false,
		"myapp.js":                     false,
	} {
		if got := IsBuiltinScript(script); got != want {
			t.Errorf("IsBuiltinScript(%q) = %v, want %v", script, got, want)
		}
		if want && IsAppScript(script, true) {
			t.Errorf("IsAppScript(%q) = true for a builtin", script)
		}
	}
}
