package heap

// Stable suspect codes. A heap code LEAK1xx corresponds to the static rule
// LEAK0xx in package jsscan (same xx), so the language server can merge a
// heap-confirmed suspect with the static finding at the same site.
const (
	CodeRetainedTimeout = "LEAK101" // finished Timeout still referenced (static: LEAK001)
	CodeTimerPrimitive  = "LEAK102" // timer kept in knownTimersById after +t (static: LEAK002; nodejs/node#53335)
	CodeRecursiveAsync  = "LEAK103" // chain of suspended async activations (static: LEAK003)
	CodeAwaiterChain    = "LEAK104" // __awaiter / co-style generator chain (static: LEAK004, LEAK003)
	CodeTimerRetains    = "LEAK105" // live timer/interval retaining big objects or servers (static: LEAK005)
	CodeServerNotClosed = "LEAK106" // server dropped without close(), kept by its handle or timer
	CodeClosureSite     = "LEAK110" // many closures/contexts from one source site
	CodeGrowth          = "LEAK120" // objects from one site grew since the baseline
)
