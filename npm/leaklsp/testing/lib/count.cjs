'use strict';
// Counts a snapshot's objects by constructor name (countLive's fallback
// where v8.queryObjects is missing, and for names rather than classes).

function countInSnapshot(text, name) {
  const s = JSON.parse(text);
  const meta = s.snapshot.meta;
  const fields = meta.node_fields;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const objectType = meta.node_types[typeAt].indexOf('object');
  const want = s.strings.indexOf(name);
  if (want < 0) return 0;
  let n = 0;
  const nodes = s.nodes;
  for (let i = 0; i < nodes.length; i += fields.length) {
    if (nodes[i + typeAt] === objectType && nodes[i + nameAt] === want) n++;
  }
  return n;
}

module.exports = { countInSnapshot };
