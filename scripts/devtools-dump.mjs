// devtools-dump.mjs loads heap snapshots with Chrome DevTools' own model
// (npm heap-snapshot-toolkit, which bundles devtools-frontend's
// HeapSnapshot.ts) and writes, per node, what DevTools computes, so that the
// Go differential test (heap/devtools_parity_test.go) can compare leaklsp's
// graph with it node by node.
//
//   node scripts/devtools-dump.mjs TOOLKIT_DIR IN.heapsnapshot[.gz] OUT ...
//
// TOOLKIT_DIR is where scripts/setup-devtools.sh installed the toolkit (its
// node_modules/heap-snapshot-toolkit). Pairs of IN OUT follow; one process
// handles them all so node starts once. OUT is binary, little-endian:
//
//   "DTP1" u32 nodeCount
//   u32 id[nodeCount]          node ids, in snapshot order
//   u32 dominatorId[nodeCount] id of the immediate dominator (the root's is its own)
//   i32 distance[nodeCount]    DevTools' distance (-5: unreachable)
//   u32 shallow[nodeCount]     self size after calculateShallowSizes
//   f64 retained[nodeCount]    retained size
import { createReadStream, renameSync, writeFileSync } from 'node:fs'
import { createGunzip } from 'node:zlib'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const [toolkitDir, ...pairs] = process.argv.slice(2)
if (!toolkitDir || pairs.length === 0 || pairs.length % 2 !== 0) {
  console.error('usage: node devtools-dump.mjs TOOLKIT_DIR IN OUT [IN OUT ...]')
  process.exit(2)
}
const toolkit = await import(pathToFileURL(join(toolkitDir, 'node_modules/heap-snapshot-toolkit/index.js')).href)

for (let i = 0; i < pairs.length; i += 2) {
  const [input, output] = [pairs[i], pairs[i + 1]]
  const t0 = performance.now()
  let stream = createReadStream(input)
  if (input.endsWith('.gz')) stream = stream.pipe(createGunzip())
  stream.setEncoding('utf8') // the loader takes text; this keeps multi-byte characters whole
  const snapshot = await toolkit.parse(stream)
  writeFileSync(output + '.tmp', dump(snapshot))
  renameSync(output + '.tmp', output) // never a half-written file under the final name
  console.error(`devtools-dump: ${input}: ${snapshot.nodeCount} nodes in ${((performance.now() - t0) / 1000).toFixed(2)} s`)
}

// dump reads the columns DevTools fills during initialize(): node ids and
// self sizes from the nodes array (self sizes as calculateShallowSizes left
// them), dominatorsTree (ordinals), nodeDistances and retainedSizes.
function dump (s) {
  const n = s.nodeCount
  const buf = Buffer.alloc(8 + n * 24)
  buf.write('DTP1', 0, 'latin1')
  buf.writeUInt32LE(n, 4)
  const ids = new Uint32Array(n)
  for (let v = 0; v < n; v++) ids[v] = s.nodes.getValue(v * s.nodeFieldCount + s.nodeIdOffset)
  let off = 8
  for (let v = 0; v < n; v++, off += 4) buf.writeUInt32LE(ids[v], off)
  for (let v = 0; v < n; v++, off += 4) buf.writeUInt32LE(ids[s.dominatorsTree[v]], off)
  for (let v = 0; v < n; v++, off += 4) buf.writeInt32LE(s.nodeDistances[v], off)
  for (let v = 0; v < n; v++, off += 4) buf.writeUInt32LE(s.nodes.getValue(v * s.nodeFieldCount + s.nodeSelfSizeOffset), off)
  for (let v = 0; v < n; v++, off += 8) buf.writeDoubleLE(s.retainedSizes[v], off)
  return buf
}
