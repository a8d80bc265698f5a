'use strict';
// Which findings of `leaklsp check` make an assertion fail, and how the
// failure lists them.
const { check, formatText } = require('./check.cjs');

const siteKey = (d) => `${d.code} ${d.file || d.script} ${d.range.start.line}:${d.range.start.column}`;

/**
 * Against a watermark baseline (check --baseline-last-id) every heap
 * finding carries its new objects as growth: the ones with more than
 * allow. A site's net growth is its new objects minus the objects of the
 * site that existed at the mark and are gone, at most freed (every object
 * that died since the mark): `sure` says whether each of them grew by more
 * than allow whatever died, `grown` lists them.
 */
function grownSinceMark(diags, allow, freed) {
  const grown = diags.filter((d) => d.heap && (d.heap.growth || 0) > allow);
  return { grown, sure: grown.every((d) => d.heap.growth - freed > allow) };
}

/**
 * Against a baseline snapshot: the heap findings that grew by more than
 * allow objects since it. A suspect already there (another test's
 * leftovers) is not this function's leak. Growth per site comes from the
 * growth detector (folded into a detector's finding at the same site); a
 * finding without it is compared with the same finding in the baseline,
 * which is analysed only then.
 */
async function grownBeyond(diags, baseline, root, allow) {
  const heap = diags.filter((d) => d.heap);
  let before;
  if (heap.some((d) => d.code !== 'LEAK120' && !(d.heap.growth > 0))) {
    before = new Map();
    for (const d of await check(['--snapshot', baseline, root])) {
      if (d.heap) before.set(siteKey(d), d.heap.count);
    }
  }
  return heap.filter((d) => {
    if (d.heap.growth > 0 || d.code === 'LEAK120') return (d.heap.growth || 0) > allow;
    return d.heap.count - (before.get(siteKey(d)) || 0) > allow;
  });
}

/**
 * Lists the findings with a source position in full (retainer path and
 * all) and, after them, the growth V8 could not place in the source (plain
 * objects, arrays) in one line each: it follows from the located ones and
 * would bury them.
 */
function describe(diags, root) {
  const located = diags.filter((d) => d.file || d.script);
  if (located.length === 0) return formatText(diags, root);
  const rest = diags.filter((d) => !(d.file || d.script));
  const lines = [formatText(located, root)];
  for (const d of rest) lines.push(`(heap snapshot): ${d.code} ${d.message.split('; ')[0]}.`);
  return lines.join('\n');
}

module.exports = { grownSinceMark, grownBeyond, describe };
