#!/usr/bin/env bash
# heap.sh — heap snapshot benchmark: load + graph + detectors on a large
# snapshot written by node (bench/gen-large.js), printing plain
# "name: value" lines (sizes, counts, times, MB/s, peak RSS and its ratio
# to the file size, and per graph step its wall time, CPU time and RSS:
# compare CPU times when the machine is shared).
#
# usage: bench/heap.sh [SNAPSHOT]
#   Without SNAPSHOT, generates (once) $LEAKLSP_BENCH_DIR/large.heapsnapshot
#   (default ~/.cache/leaklsp-bench; ~900 MB, ~40 s to write, node needs
#   ~5 GB) and reuses it on later runs. UNITS=n changes its size.
#   BASELINE=1 generates a pair of one process instead (a baseline at half
#   the units, then the full one) and also times the growth comparison.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${LEAKLSP_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/leaklsp-bench}
units=${UNITS:-1220000}
snap=${1:-}
args=()
if [[ -z $snap && ${BASELINE:-} == 1 ]]; then
  snap=$dir/large-$units-target.heapsnapshot
  base=$dir/large-$units-baseline.heapsnapshot
  if [[ ! -s $snap || ! -s $base ]]; then
    mkdir -p "$dir"
    echo "generating $base and $snap ($units units) ..." >&2
    node --max-old-space-size=12288 "$root/bench/gen-large.js" "$snap.tmp" "$units" "$base.tmp"
    mv "$base.tmp" "$base"
    mv "$snap.tmp" "$snap"
  fi
  args=(-baseline "$base")
elif [[ -z $snap ]]; then
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
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" "${args[@]}" "$snap"
