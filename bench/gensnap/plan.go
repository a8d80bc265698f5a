package main

import "fmt"

// Filler shape: the heap of a service holding many sessions. Each unit is
// one session object graph (unitNodes nodes); units are held in buckets,
// each a Map whose hash table holds unitsPerBucket sessions, and the
// buckets in an array on the global object.
const (
	unitNodes      = 10
	unitsPerBucket = 1024
	bucketNodes    = 2 // the Map and its table
	// closuresPerSite bounds how many filler closures share one source
	// position, far below the closure-site detector's threshold (1000),
	// so filler alone is never a suspect.
	closuresPerSite = 300
)

// Plants configures the planted leaks; zero counts plant nothing.
type Plants struct {
	Closures int // LEAK110: closures of one site held in an array on a long-lived object
	Timeouts int // LEAK101: finished Timeouts with an ALS store, held on Job objects
	Depth    int // LEAK103: recursive async chain depth
}

// script is one script of the synthetic service.
type script struct {
	id   int
	path string
	node int // ordinal of its Script node
	ctx  int // ordinal of its module Context
}

// site is a function's source position and its SharedFunctionInfo node.
type site struct {
	fn     string
	name   int // string index of fn
	script int // index into plan.scripts
	line   int // 0-based
	col    int // 0-based
	sfi    int // ordinal of its SFI node
}

// plan fixes the ordinal of every node before anything is written: the
// graph description (emit) refers forward to nodes by these numbers.
type plan struct {
	units  int
	plants Plants

	strs  []string
	index map[string]int
	// uniq is the index of the first per-unit string ("session-<i>").
	uniq int

	next int // next free ordinal while planning

	root, gcRoots, global, nativeCtx       int
	subroots                               []int // (Stack roots), (Global handles), (Strong roots), ...
	undef, null, true_, false_             int   // oddballs
	oddStr                                 [6]int
	objMap, fnMap, arrMap, mapMap, sessMap int // object shapes ("system / Map")
	sessProto, scopeInfo, builtinSFI       int
	sessArr, sessElems                     int // global.sessions: the bucket array
	scripts                                []script
	sites                                  []site // filler closure sites
	pool                                   []int  // pooled string nodes
	poolNames                              []string

	// Planted leaks.
	bus, busArr, busElems, busFirst int
	onMessage, onExpire, poll       site
	jobsArr, jobsElems, jobsFirst   int
	storeCtor, jobCtor, busCtor     [2]int // line, column of constructors
	timersList, sleepTimeout        int
	sleepCb, sleepCtx, sleepPromise int
	sleepReaction, sleepRej         int
	sleepRes, sleepAwaitCtx, pollFn int
	chainFirst                      int
	sessionCtor                     [2]int

	fillerFirst int // ordinal of the first bucket
	nodes       int // total planned nodes
}

const (
	scriptServer = iota
	scriptUsers
	scriptOrders
	scriptRouter
	scriptSubscribers
	scriptJobs
	scriptContext
	scriptHealth
	scriptTimers
)

var scriptPaths = []string{
	"/srv/app/server.js",
	"/srv/app/routes/users.js",
	"/srv/app/routes/orders.js",
	"/srv/app/node_modules/express/lib/router/index.js",
	"/srv/app/lib/subscribers.js",
	"/srv/app/lib/jobs.js",
	"/srv/app/lib/context.js",
	"/srv/app/lib/health.js",
	"node:internal/timers",
}

// fillerScripts hold the filler closures: application code and a library.
var fillerScripts = []int{scriptServer, scriptUsers, scriptOrders, scriptRouter}

var fillerFns = []string{"handleRequest", "onData", "next", "validate", "serialize", "", "resolveUser", "render"}

// Planted sites, 0-based line and column as V8's locations give them.
var (
	siteOnMessage = [2]int{13, 30} // subscribers.js: bus.listeners.push(function onMessage(msg) {…})
	siteOnExpire  = [2]int{7, 30}  // jobs.js: this.timer = setTimeout(function onExpire() {…}, ms)
	sitePoll      = [2]int{3, 26}  // health.js: async function pollHealth() { …; await pollHealth(); }
)

func newPlan(units int, plants Plants) *plan {
	p := &plan{units: units, plants: plants, index: map[string]int{}}
	p.intern("<dummy>")
	p.fixed()
	if plants.Closures > 0 {
		p.planClosures()
	}
	if plants.Timeouts > 0 {
		p.planTimeouts()
	}
	if plants.Depth > 0 {
		p.planChain()
	}
	p.fillerFirst = p.next
	buckets := (units + unitsPerBucket - 1) / unitsPerBucket
	p.nodes = p.next + buckets*bucketNodes + units*unitNodes
	// Per-unit strings come last in the string table.
	p.uniq = len(p.strs)
	return p
}

func (p *plan) intern(s string) int {
	if i, ok := p.index[s]; ok {
		return i
	}
	p.index[s] = len(p.strs)
	p.strs = append(p.strs, s)
	return len(p.strs) - 1
}

func (p *plan) alloc(n int) int {
	o := p.next
	p.next += n
	return o
}

// fixed plans the nodes every snapshot has: roots, oddballs, shapes,
// scripts with their module contexts, and the filler closure sites.
func (p *plan) fixed() {
	p.root = p.alloc(1)
	p.gcRoots = p.alloc(1)
	for range subrootNames {
		p.subroots = append(p.subroots, p.alloc(1))
	}
	p.global = p.alloc(1)
	p.nativeCtx = p.alloc(1)
	p.undef, p.null, p.true_, p.false_ = p.alloc(1), p.alloc(1), p.alloc(1), p.alloc(1)
	for i := range p.oddStr {
		p.oddStr[i] = p.alloc(1)
	}
	p.objMap, p.fnMap, p.arrMap, p.mapMap, p.sessMap = p.alloc(1), p.alloc(1), p.alloc(1), p.alloc(1), p.alloc(1)
	p.sessProto, p.scopeInfo, p.builtinSFI = p.alloc(1), p.alloc(1), p.alloc(1)
	p.sessArr, p.sessElems = p.alloc(1), p.alloc(1)
	for i, path := range scriptPaths {
		p.scripts = append(p.scripts, script{id: 20 + 3*i, path: path, node: p.alloc(3), ctx: p.alloc(1)}) // Script, source, name
	}
	for i := range 64 {
		name := fmt.Sprintf("user-%02d@example.com", i)
		if i%4 == 0 {
			name = [...]string{"admin", "guest", "editor", "viewer"}[i/4%4]
		}
		p.poolNames = append(p.poolNames, name)
		p.pool = append(p.pool, p.alloc(1))
	}
	nSites := max(len(fillerScripts), (p.units+closuresPerSite-1)/closuresPerSite)
	for s := range nSites {
		fn := fillerFns[s%len(fillerFns)]
		p.sites = append(p.sites, site{
			fn: fn, name: p.intern(fn), script: fillerScripts[s%len(fillerScripts)],
			line: 20 + s/len(fillerScripts), col: 4 + 2*(s%5),
			sfi: p.alloc(1),
		})
	}
	p.sessionCtor = [2]int{11, 13}
}

var subrootNames = []string{"(Stack roots)", "(Handle scope)", "(Global handles)", "(Strong roots)",
	"(Builtins)", "(Internalized strings)", "(Bootstrapper)", "(Relocatable)"}

const (
	subStack = iota
	subHandles
	subGlobalHandles
	subStrong
)

func (p *plan) planClosures() {
	p.busCtor = [2]int{2, 13}
	p.bus, p.busArr, p.busElems = p.alloc(1), p.alloc(1), p.alloc(1)
	p.onMessage = site{fn: "onMessage", script: scriptSubscribers, line: siteOnMessage[0], col: siteOnMessage[1], sfi: p.alloc(1)}
	p.busFirst = p.alloc(3 * p.plants.Closures) // closure, its context, its payload
}

func (p *plan) planTimeouts() {
	p.jobCtor, p.storeCtor = [2]int{4, 13}, [2]int{1, 13}
	p.jobsArr, p.jobsElems = p.alloc(1), p.alloc(1)
	p.onExpire = site{fn: "onExpire", script: scriptJobs, line: siteOnExpire[0], col: siteOnExpire[1], sfi: p.alloc(1)}
	p.jobsFirst = p.alloc(5 * p.plants.Timeouts) // Job, Timeout, callback, its context, ALS store
}

// chainLevel is how many nodes one activation of the recursive chain has:
// Generator, registers, payload, result Promise, and (for all but the
// oldest, whose promise nobody awaits) the PromiseReaction with its two
// await closures and their context.
const chainLevel = 8

func (p *plan) planChain() {
	p.poll = site{fn: "pollHealth", script: scriptHealth, line: sitePoll[0], col: sitePoll[1], sfi: p.alloc(1)}
	p.pollFn = p.alloc(1)
	p.timersList, p.sleepTimeout, p.sleepCb, p.sleepCtx = p.alloc(1), p.alloc(1), p.alloc(1), p.alloc(1)
	p.sleepPromise, p.sleepReaction, p.sleepRej, p.sleepRes, p.sleepAwaitCtx = p.alloc(1), p.alloc(1), p.alloc(1), p.alloc(1), p.alloc(1)
	p.chainFirst = p.alloc(chainLevel*(p.plants.Depth-1) + 4)
}
