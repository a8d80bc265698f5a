#!/usr/bin/env bash
# Regenerates the heap package's own snapshot fixtures with the node on PATH
# (checked in as gzip; ground truth in manifest.json, see README.md).
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
node --version
SNAPSHOT_OUT=$tmp/interval-server.heapsnapshot node --expose-gc interval-server.js
SNAPSHOT_OUT=$tmp/interval-server-clear.heapsnapshot CLEAR=1 node --expose-gc interval-server.js
SNAPSHOT_OUT=$tmp/listeners.heapsnapshot node --expose-gc listeners.js
SNAPSHOT_OUT=$tmp/listeners-off.heapsnapshot OFF=1 node --expose-gc listeners.js
BASELINE_OUT=$tmp/listeners-baseline.heapsnapshot SNAPSHOT_OUT=$tmp/listeners-grown.heapsnapshot \
  node --expose-gc listeners.js
SNAPSHOT_OUT=$tmp/timers-held.heapsnapshot node --expose-gc timers-held.js
SNAPSHOT_OUT=$tmp/timers-held-clear.heapsnapshot CLEAR=1 node --expose-gc timers-held.js
BASELINE_OUT=$tmp/growth-baseline.heapsnapshot TARGET_OUT=$tmp/growth-target.heapsnapshot \
  node --expose-gc growth.js
for f in "$tmp"/*.heapsnapshot; do
  gzip -9 -n -c "$f" >"snapshots/$(basename "$f").gz"
done
ls -l snapshots
