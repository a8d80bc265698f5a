package heap

// A KnownBug is a Node.js or V8 bug that makes a leak shape appear without
// (or beyond) the application's fault, with the versions it affects.
type KnownBug struct {
	ID      string // "nodejs/node#53335", "v8:10031"
	Summary string
	Fixed   string // first fixed releases, for messages
	affects func(NodeVersion) bool
}

// Affects reports whether the snapshot's Node version has the bug. An
// unknown version is never blamed on a bug.
func (b *KnownBug) Affects(v NodeVersion) bool { return v.Known() && b.affects(v) }

var (
	// BugPrimitiveTimers: a timer converted to a primitive (+t, Number(t),
	// `${t}`, a key) is kept in knownTimersById after it fires.
	BugPrimitiveTimers = &KnownBug{
		ID:      "nodejs/node#53335",
		Summary: "timers converted to a primitive stay in Node's knownTimersById map after they fire",
		Fixed:   "Node.js 20.16.0, 22.4.0 and 23.0.0",
		affects: func(v NodeVersion) bool {
			switch {
			case v.Major == 20:
				return v.Before(20, 16, 0)
			case v.Major == 22:
				return v.Before(22, 4, 0)
			case v.Major >= 23:
				return false
			}
			return v.AtLeast(14, 9, 0) // Symbol.toPrimitive on Timeout came with 14.9
		},
	}
	// BugServerInterval: http.createServer() starts the
	// connections-checking interval at construction, not at listen(), so a
	// server dropped without close() is never collected (fixed by #48611).
	BugServerInterval = &KnownBug{
		ID:      "nodejs/node#48604",
		Summary: "every http.createServer() starts a connections-checking interval that keeps the server alive until close()",
		Fixed:   "Node.js 18.17.0 and 20.4.0",
		affects: func(v NodeVersion) bool {
			return v.Major == 18 && v.Before(18, 17, 0) ||
				v.Major == 19 ||
				v.Major == 20 && v.Before(20, 4, 0)
		},
	}
	// BugHTTPSCloseInterval: https.Server.close() is net.Server's close,
	// which never clears the connections-checking interval that http's
	// connection tracking (Node 18+) starts, so a closed https server is
	// never collected (nodejs/node#48373, fixed by #48383; the 18.x
	// backport is #50194). Measured: the interval is still pending after
	// close() on 18.16.0, 18.17.0 and 20.3.1, cleared on 18.19.0 and 20.4.0.
	BugHTTPSCloseInterval = &KnownBug{
		ID:      "nodejs/node#48373",
		Summary: "https.Server.close() does not clear the connections-checking interval, so a closed https server stays alive",
		Fixed:   "Node.js 18.19.0 and 20.4.0",
		affects: func(v NodeVersion) bool {
			return v.Major == 18 && v.Before(18, 19, 0) ||
				v.Major == 19 ||
				v.Major == 20 && v.Before(20, 4, 0)
		},
	}
	// BugGeneratorPrototypeUsers: V8 never compacts the prototype-users
	// list of %GeneratorPrototype%, so every generator function ever run
	// (TypeScript's __awaiter output) leaves an entry (nodejs/node#30753).
	BugGeneratorPrototypeUsers = &KnownBug{
		ID:      "v8:10031",
		Summary: "V8 never shrinks the internal list of %GeneratorPrototype%'s users, so every generator function run (TypeScript __awaiter output) grows it",
		Fixed:   "Node.js 12.16.0",
		affects: func(v NodeVersion) bool {
			return v.Major == 11 || v.Major == 12 && v.Before(12, 16, 0)
		},
	}
)

// bugNote is the sentence a message adds when the snapshot's version has
// bug b: what the bug is and which release fixes it.
func bugNote(b *KnownBug, v NodeVersion) string {
	return "This snapshot is from Node.js " + v.String() + ", which has " + b.ID + " (" + b.Summary + "); fixed in " + b.Fixed + "."
}
