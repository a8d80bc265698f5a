package heap

// Stable suspect codes. A heap code LEAK1xx corresponds to the static rule
// LEAK0xx in package jsscan (same xx), so the language server can merge a
// heap-confirmed suspect with the static finding at the same site.
const (
	CodeRetainedTimeout = "LEAK101" // finished Timeout still referenced (static: LEAK001)
	CodeRecursiveAsync  = "LEAK103" // chain of suspended async activations (static: LEAK003)
	CodeAwaiterChain    = "LEAK104" // __awaiter / co-style generator chain (static: LEAK004, LEAK003)
	CodeTimerRetains    = "LEAK105" // live timer/interval retaining big objects or servers (static: LEAK005)
	CodeClosureSite     = "LEAK110" // many closures/contexts from one source site
	CodeGrowth          = "LEAK120" // objects from one site grew since the baseline
)
