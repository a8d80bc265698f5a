package heap

import (
	"fmt"
	"strconv"
	"strings"
)

// Version-dependent conventions of V8 heap snapshots live in this file and
// its siblings (version_*.go), so detectors ask one place instead of
// guessing: which Node.js/V8 wrote the snapshot (read from the heap itself,
// never from a file name), how oddballs are named, which scripts are Node's
// own, and which known Node/V8 bugs the version has.

// NodeVersion is a Node.js release, e.g. v20.3.1, read from the snapshot.
type NodeVersion struct {
	Major, Minor, Patch int
	V8                  string // process.versions.v8, "" when not found
}

// String renders the version like process.version ("v20.3.1").
func (v NodeVersion) String() string {
	if v.Major == 0 {
		return "unknown Node.js version"
	}
	return fmt.Sprintf("v%d.%d.%d", v.Major, v.Minor, v.Patch)
}

// Known reports whether the version was found in the snapshot.
func (v NodeVersion) Known() bool { return v.Major > 0 }

// Before reports whether v is older than major.minor.patch.
func (v NodeVersion) Before(major, minor, patch int) bool {
	if v.Major != major {
		return v.Major < major
	}
	if v.Minor != minor {
		return v.Minor < minor
	}
	return v.Patch < patch
}

// AtLeast reports whether v is major.minor.patch or newer.
func (v NodeVersion) AtLeast(major, minor, patch int) bool {
	return !v.Before(major, minor, patch)
}

// ParseNodeVersion parses "v20.3.1" (the leading v is optional).
func ParseNodeVersion(s string) (NodeVersion, bool) {
	parts := strings.Split(strings.TrimPrefix(s, "v"), ".")
	if len(parts) != 3 {
		return NodeVersion{}, false
	}
	var n [3]int
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil || x < 0 || p == "" {
			return NodeVersion{}, false
		}
		n[i] = x
	}
	if n[0] == 0 {
		return NodeVersion{}, false
	}
	return NodeVersion{Major: n[0], Minor: n[1], Patch: n[2]}, true
}

// SnapshotNodeVersion reads the Node.js version of the process that wrote
// the snapshot from its `process` object: the object with a `version`
// property holding a "vX.Y.Z" string and a `versions` property (an object
// whose `node` and `v8` properties name the releases). Both are plain data
// properties on every Node version from 12 to 26, so the edges exist in
// every snapshot; a user object with a `version` string is told apart by
// the `versions` object next to it. Browser snapshots have neither.
func SnapshotNodeVersion(s *Snapshot) NodeVersion {
	t := &s.Strings
	version, versions, node, v8 := noString, noString, noString, noString
	for i := 0; i < t.Len(); i++ {
		switch string(t.Arena[t.Offsets[i]:t.Offsets[i+1]]) {
		case "version":
			version = uint32(i)
		case "versions":
			versions = uint32(i)
		case "node":
			node = uint32(i)
		case "v8":
			v8 = uint32(i)
		}
	}
	if version == noString || versions == noString {
		return NodeVersion{}
	}
	for e := range uint32(s.EdgeCount()) {
		if s.EdgeKind(e) != EdgeProperty || s.EdgeNameOrIndex(e) != version || !s.isString(s.EdgeTo(e)) {
			continue
		}
		v, ok := ParseNodeVersion(s.Name(s.EdgeTo(e)))
		if !ok {
			continue
		}
		from := s.edgeSource(e)
		vs, ok := s.edgeTo(from, EdgeProperty, versions)
		if !ok {
			continue
		}
		if str, ok := s.edgeTo(vs, EdgeProperty, node); ok && strings.TrimPrefix(s.Name(str), "v") != strings.TrimPrefix(s.Name(s.EdgeTo(e)), "v") {
			continue // not process: versions.node disagrees
		}
		if str, ok := s.edgeTo(vs, EdgeProperty, v8); ok && s.isString(str) {
			v.V8 = s.Name(str)
		}
		return v
	}
	return NodeVersion{}
}

// isString reports whether node n is any kind of string.
func (s *Snapshot) isString(n uint32) bool {
	switch s.NodeKinds[n] {
	case NodeString, NodeConsString, NodeSlicedString:
		return true
	}
	return false
}

// edgeSource returns the node whose edge list holds edge e (binary search
// over FirstEdge; used rarely, so no reverse index is kept).
func (s *Snapshot) edgeSource(e uint32) uint32 {
	lo, hi := 0, s.NodeCount()
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.FirstEdge[m+1] <= e {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return uint32(lo)
}
