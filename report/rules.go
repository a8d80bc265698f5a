package report

import (
	"github.com/leaklsp/leaklsp/heap"
	"github.com/leaklsp/leaklsp/jsscan"
)

// Rule describes a code for SARIF's rule table and hover texts.
type Rule struct {
	Code  string
	Name  string
	Short string
}

// Rules lists every code leaklsp reports, static rules first.
var Rules = []Rule{
	{jsscan.CodeParseError, "parse-error", "The file could not be parsed; nothing else was checked."},
	{jsscan.CodeTimerToken, "timer-token-retained", "A stored timer token is never cleared or released."},
	{jsscan.CodeTimerPrimitive, "timer-to-primitive", "A Timeout is coerced to a primitive, which pins it in the timer map (nodejs/node#53335)."},
	{jsscan.CodeRecursiveAwait, "recursive-await", "A recursive await/yield chain keeps every level suspended."},
	{jsscan.CodeDownlevelAsync, "downlevel-async", "async is lowered to generators (__awaiter); chains retain generators and closures."},
	{jsscan.CodeIntervalPerObject, "interval-per-object", "An interval is created per object and never cleared."},
	{heap.CodeRetainedTimeout, "retained-finished-timeout", "Finished Timeouts are still referenced and keep their callbacks (and, before Node 24, AsyncLocalStorage stores) alive."},
	{heap.CodeTimerPrimitive, "timer-primitive-retained", "Timers converted to a primitive stay in Node's knownTimersById map after firing (nodejs/node#53335)."},
	{heap.CodeRecursiveAsync, "recursive-async-chain", "A chain of suspended async activations grows without settling."},
	{heap.CodeAwaiterChain, "awaiter-generator-chain", "A chain of __awaiter/co generator activations grows without settling."},
	{heap.CodeTimerRetains, "timer-retains-objects", "A live timer or interval retains large objects or servers."},
	{heap.CodeServerNotClosed, "server-not-closed", "Servers dropped without close() are kept alive by their handle or their own interval."},
	{heap.CodeClosureSite, "closures-per-site", "Many closures or contexts were created at one source site and are retained."},
	{heap.CodeGrowth, "growth-since-baseline", "Objects from one site grew since the baseline snapshot."},
}

// RuleFor returns the rule of code, or a generic one for unknown codes.
func RuleFor(code string) Rule {
	for _, r := range Rules {
		if r.Code == code {
			return r
		}
	}
	return Rule{Code: code, Name: code, Short: "leaklsp finding " + code}
}
