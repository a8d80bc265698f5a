#!/usr/bin/env bash
# capture.sh — the capture bar of issue #11: `leaklsp capture` of a process
# with a ~1 GB heap against Node's own v8.writeHeapSnapshot() of the same
# heap, in the same process, alternating round by round (bench/capturebench).
# Prints each measurement (wall, node's CPU, leaklsp's CPU and peak RSS, the
# load average) and then medians and ratios. The bar: wall ratio ≤ 1.2,
# leaklsp max rss ≤ 100 MiB.
#
# usage: bench/capture.sh [-- EXTRA CAPTURE FLAGS]
#   HEAP_MB=1024  heap the app builds (node then peaks at ~6× that while it
#                 builds a snapshot, either way: keep HEAP_MB ≤ RAM/7)
#   ROUNDS=3      rounds (one snapshot each way per round)
#   NODE=node     node binary, e.g. NODE=$(bash scripts/install-node.sh 22.12.0)
#   LEAKLSP_BENCH_DIR  where the snapshots go for the time being (default
#                 /tmp/leaklsp-capture-bench; each is deleted once measured)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${LEAKLSP_BENCH_DIR:-/tmp/leaklsp-capture-bench}
mkdir -p "$dir"
[[ ${1:-} == -- ]] && shift
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
(cd "$root" && go build -o "$bin/leaklsp" ./cmd/leaklsp && go build -o "$bin/capturebench" ./bench/capturebench)
echo "cpus: $(nproc)"
"$bin/capturebench" -node "${NODE:-node}" -leaklsp "$bin/leaklsp" -app "$root/bench/capture-app.js" \
  -dir "$dir" -heap-mb "${HEAP_MB:-1024}" -rounds "${ROUNDS:-3}" "$@"
