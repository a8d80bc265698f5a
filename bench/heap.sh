#!/usr/bin/env bash
# heap.sh — heap snapshot benchmark: load + graph + detectors on a large
# snapshot written by node (bench/gen-large.js), printing plain
# "name: value" lines (sizes, counts, times, MB/s, peak RSS).
#
# usage: bench/heap.sh [SNAPSHOT]
#   Without SNAPSHOT, generates (once) $LEAKLSP_BENCH_DIR/large.heapsnapshot
#   (default ~/.cache/leaklsp-bench; ~890 MB, ~2 min to write, node needs
#   ~3 GB) and reuses it on later runs. UNITS=n changes its size.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${LEAKLSP_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/leaklsp-bench}
units=${UNITS:-1220000}
snap=${1:-}
if [[ -z $snap ]]; then
  snap=$dir/large-$units.heapsnapshot
  if [[ ! -s $snap ]]; then
    mkdir -p "$dir"
    echo "generating $snap ($units units) ..." >&2
    node --max-old-space-size=12288 "$root/bench/gen-large.js" "$snap.tmp" "$units"
    mv "$snap.tmp" "$snap"
  fi
fi
bin=$(mktemp -d)/heapbench
trap 'rm -rf "$(dirname "$bin")"' EXIT
(cd "$root" && go build -o "$bin" ./bench/heapbench)
echo "node: $(node --version 2>/dev/null || echo none)"
echo "cpus: $(nproc)"
"$bin" "$snap"
