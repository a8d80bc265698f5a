package jsscan

// Stable rule codes. The heap detectors use LEAK1xx for the runtime
// evidence of the same pattern (see heap/codes.go).
const (
	CodeParseError        = "LEAK000" // file could not be parsed; nothing else was checked
	CodeTimerToken        = "LEAK001" // stored timer token never released
	CodeTimerPrimitive    = "LEAK002" // timer coerced to a primitive (nodejs/node#53335)
	CodeRecursiveAwait    = "LEAK003" // recursive await / yield chain
	CodeDownlevelAsync    = "LEAK004" // async lowered to generators (__awaiter, __async) / tsconfig target < es2017
	CodeIntervalPerObject = "LEAK005" // interval created per object and never cleared
)
