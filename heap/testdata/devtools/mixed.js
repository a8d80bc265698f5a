// mixed.js: one heap snapshot with every kind of object whose sizes,
// dominators and distances DevTools computes by special rules, for the
// DevTools differential test (heap/devtools_parity_test.go). Everything is
// kept reachable (most of it from globalThis.mixed, some only from timers,
// promises and the microtask machinery), then the snapshot is written while
// promises are pending, async functions and generators are suspended and
// timers are armed. Run by ./generate.sh; out path in SNAPSHOT_OUT.
'use strict'
const v8 = require('node:v8')
const { EventEmitter } = require('node:events')

class Item {
  constructor (i) {
    this.id = i
    this.label = 'item-' + i
    this.payload = new Array(8).fill(i)
  }
}

const mixed = {}
globalThis.mixed = mixed

// WeakMap / WeakSet: values reachable only through the ephemeron (key and
// table), keys held strongly elsewhere, and one key held by the value.
const keys = Array.from({ length: 20 }, (_, i) => ({ key: i }))
const wm = new WeakMap()
keys.forEach((k, i) => wm.set(k, { value: i, blob: new Array(16).fill(i) }))
const cyclicKey = { cyclic: true }
wm.set(cyclicKey, { back: cyclicKey })
mixed.weakMap = wm
mixed.keys = keys
mixed.cyclicKeyHolder = [cyclicKey]
const lateTableKey = { late: true } // the key is near, the table far away
mixed.lateTableKey = lateTableKey
mixed.deep = { a: { b: { c: { d: { table: new WeakMap([[lateTableKey, { farValue: 1 }]]) } } } } }
const ws = new WeakSet(keys.slice(0, 10))
mixed.weakSet = ws

// WeakRef and FinalizationRegistry: targets alive (held elsewhere) and
// held values kept by the registry.
const refTargets = Array.from({ length: 5 }, (_, i) => new Item(100 + i))
mixed.refTargets = refTargets
mixed.weakRefs = refTargets.map(t => new WeakRef(t))
const registry = new FinalizationRegistry(held => { mixed.finalized = held })
refTargets.forEach((t, i) => registry.register(t, { heldValue: i }, t))
mixed.registry = registry

// Proxies, revocable and not, over objects and functions.
const target = { secret: new Item(7) }
mixed.proxy = new Proxy(target, { get: (t, p) => t[p] })
mixed.fnProxy = new Proxy(function proxied () {}, { apply: () => 1 })
const revocable = Proxy.revocable({ r: 1 }, {})
mixed.revocable = revocable
const revoked = Proxy.revocable({ gone: 1 }, {})
revoked.revoke()
mixed.revoked = revoked.proxy

// Bound functions, with bound this and arguments, and bound twice.
function greet (greeting, name) { return `${greeting} ${name} ${this.id}` }
const boundThis = new Item(8)
mixed.bound = greet.bind(boundThis, 'hello')
mixed.boundTwice = mixed.bound.bind(null, 'world')

// Typed arrays: on-heap and off-heap backing stores, views sharing a buffer,
// DataView, SharedArrayBuffer, a Buffer.
const shared = new ArrayBuffer(4096)
mixed.typed = {
  small: new Uint8Array(16),
  big: new Float64Array(64 * 1024),
  viewA: new Int32Array(shared, 0, 16),
  viewB: new Uint16Array(shared, 1024, 16),
  dataView: new DataView(shared, 2048),
  sab: new Int32Array(new SharedArrayBuffer(1024)),
  buffer: Buffer.from('a node buffer with some text in it'),
  bigint: new BigInt64Array([1n, 2n ** 60n])
}

// Promises: pending with reactions, fulfilled, rejected (handled).
let resolveLater
const pending = new Promise(resolve => { resolveLater = resolve })
mixed.pendingThen = pending.then(v => new Item(v))
mixed.resolveLater = resolveLater
mixed.fulfilled = Promise.resolve(new Item(9))
mixed.rejected = Promise.reject(new Error('handled rejection'))
mixed.rejected.catch(() => {})
mixed.all = Promise.all([pending, mixed.fulfilled])

// Suspended async functions (a chain awaiting a pending promise, one not
// referenced by any user object: only the promise reactions hold it) and
// an async recursion a few levels deep.
async function waitFor (p, depth) {
  const local = new Item(1000 + depth)
  if (depth > 0) return waitFor(p, depth - 1).then(() => local)
  await p
  return local
}
mixed.chain = waitFor(pending, 3)
waitFor(new Promise(() => {}), 2) // referenced by nothing the program keeps
async function recurse (n) {
  const frame = new Item(2000 + n)
  if (n > 0) await recurse(n - 1)
  await pending
  return frame
}
mixed.recursion = recurse(4)

// Generators and async generators, suspended mid-iteration.
function * counter () {
  const state = new Item(3000)
  for (let i = 0; ; i++) yield [i, state]
}
mixed.generator = counter()
mixed.generator.next()
async function * ticker () {
  const state = new Item(3001)
  for (;;) yield await pending.then(() => state)
}
mixed.asyncGenerator = ticker()
mixed.asyncGenerator.next()

// Timers: a timeout and an interval holding closures (kept alive by the
// timer lists, not by any user object), and a Timeout kept by user code.
const onlyTimers = { big: new Array(1000).fill('timer-held') }
setTimeout(() => onlyTimers, 3600e3).unref()
setInterval(() => onlyTimers.big.length, 3600e3).unref()
mixed.timeout = setTimeout(() => {}, 3600e3)
mixed.timeout.unref()

// A subgraph shared by two roots: reachable from globalThis (user root)
// and from an EventEmitter listener and an interval (system roots).
const sharedGraph = { nodes: Array.from({ length: 50 }, (_, i) => new Item(4000 + i)) }
globalThis.rootA = { sharedGraph }
globalThis.rootB = { alsoShared: sharedGraph.nodes }
const emitter = new EventEmitter()
emitter.on('tick', () => sharedGraph.nodes.length)
process.on('neverEmitted', () => sharedGraph)
setInterval(() => sharedGraph, 3600e3).unref()

// Other kinds: Map/Set, dictionary-mode objects, holey arrays, strings
// (cons, sliced), symbols, BigInt, RegExp, Error with a stack, Date.
const dict = {}
for (let i = 0; i < 200; i++) dict['k' + i] = i
delete dict.k3
const holey = [1, , 3]
holey[100] = 4
const long = 'x'.repeat(100)
mixed.misc = {
  map: new Map(keys.map((k, i) => [i, k])),
  set: new Set(['a', 'b', keys[0]]),
  dict,
  holey,
  cons: long + String(Date.now()),
  sliced: (long + 'y'.repeat(50) + Math.random()).slice(10, 90),
  symbol: Symbol('mixed'),
  big: 2n ** 100n,
  regexp: /mi(x)ed/g,
  error: new Error('with a stack'),
  date: new Date(0)
}

// Snapshot after the microtasks ran, so the async functions are suspended.
setImmediate(() => {
  globalThis.gc?.()
  v8.writeHeapSnapshot(process.env.SNAPSHOT_OUT || 'mixed.heapsnapshot')
  process.exit(0)
})
