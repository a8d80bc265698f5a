#!/usr/bin/env bash
# reopen.sh — re-opening an analysed snapshot (issue #12 item 5; bar:
# ≤ 0.3 s for an ~850 MB snapshot): `leaklsp check --snapshot S` and the
# server's openSnapshot, the first time and again, with a fresh re-open
# index (bench/reopen prints what it measures and how).
#
# usage: bash bench/reopen.sh [SNAPSHOT]
#   Without SNAPSHOT, writes (once) $LEAKLSP_BENCH_DIR/reopen-$SIZE.heapsnapshot
#   with bench/gensnap (SIZE=850MB by default: ~15 s, little memory).
#   Needs ~1.4x the snapshot of free memory and of free disk (the index).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${LEAKLSP_BENCH_DIR:-${TMPDIR:-/tmp}/leaklsp-bench}
size=${SIZE:-850MB}
snap=${1:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/leaklsp" ./cmd/leaklsp && go build -o "$work/gensnap" ./bench/gensnap &&
  go build -o "$work/reopen" ./bench/reopen)
if [[ -z $snap ]]; then
  snap=$dir/reopen-$size.heapsnapshot
  if [[ ! -s $snap ]]; then
    mkdir -p "$dir"
    echo "generating $snap ..." >&2
    "$work/gensnap" -size "$size" -o "$snap.tmp" -manifest "$snap.manifest.json" >&2
    mv "$snap.tmp" "$snap"
  fi
fi
echo "machine: $(nproc) cpus, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), go $(go env GOVERSION)"
TMPDIR=${TMPDIR:-$dir} "$work/reopen" -leaklsp "$work/leaklsp" "$snap"
