#!/usr/bin/env bash
# big.sh — leaklsp on a multi-GB snapshot: writes a synthetic snapshot with
# planted leaks (bench/gensnap, default 5 GB of text), runs
# `leaklsp check --no-static` on it under /usr/bin/time -v, checks the
# planted leaks are found (exactly, with their counts), and prints wall
# time, throughput and peak RSS as a ratio to the snapshot's size. The
# snapshot is deleted afterwards (KEEP=1 keeps it).
#
# usage: bench/big.sh
#   SIZE=5GB     uncompressed size to generate
#   GZIP=1       write it gzipped (automatic when the disk lacks room)
#   LEAKLSP_BENCH_DIR  where to write (default $TMPDIR or /tmp)
# Needs ~1.1x SIZE of free memory (peak RSS measured at 0.97x for 5 GB).
set -euo pipefail
export LEAKLSP_INDEX_DIR=off # time the analysis, not a re-open from the index (bench/reopen.sh)
root=$(cd "$(dirname "$0")/.." && pwd)
size=${SIZE:-5GB}
dir=${LEAKLSP_BENCH_DIR:-${TMPDIR:-/tmp}}
mkdir -p "$dir"
work=$(mktemp -d "$dir/leaklsp-big.XXXXXX")
trap '[[ ${KEEP:-} == 1 ]] || rm -rf "$work"' EXIT

(cd "$root" && go build -o "$work/gensnap" ./bench/gensnap && go build -o "$work/leaklsp" ./cmd/leaklsp)

avail=$(df -B1 --output=avail "$dir" | tail -1)
need=$(awk -v s="$size" 'BEGIN{u=toupper(s); m=1; if(u~/GB?$/)m=1e9; else if(u~/MB?$/)m=1e6; sub(/[A-Z]+$/,"",u); printf "%.0f", u*m*1.2+1e9}')
snap=$work/big.heapsnapshot
if [[ ${GZIP:-} == 1 || $avail -lt $need ]]; then
  snap=$snap.gz
fi
echo "machine: $(nproc) cpus, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), go $(go env GOVERSION)"
echo "disk: $(df -h --output=avail "$dir" | tail -1 | tr -d ' ') free in $dir (need ~$((need / 1000000000)) GB plain)"
echo "load before generating: $(cut -d' ' -f1-3 /proc/loadavg)"
"$work/gensnap" -size "$size" -o "$snap" 2>&1
manifest=$snap.manifest.json
text=$(awk -F'[:,]' '/"bytes"/{gsub(/ /,"",$2); print $2; exit}' "$manifest")
disk=$(stat -c %s "$snap")
echo "snapshot: $snap: $disk bytes on disk, $text bytes of text"

echo "load before leaklsp: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
/usr/bin/time -v -o "$work/time.txt" "$work/leaklsp" check --no-static --exit-zero --format json \
  --snapshot "$snap" "$work" >"$work/report.json" 2>"$work/stderr.txt" || status=$?
echo "load after leaklsp: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ $status != 0 ]]; then
  echo "leaklsp failed (exit $status):" >&2
  cat "$work/stderr.txt" "$work/time.txt" >&2
  exit 1
fi
wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.txt")
cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{print u+s}' "$work/time.txt")
rss=$(awk -F': ' '/Maximum resident set size/{print $2*1024}' "$work/time.txt")
awk -v w="$wall" -v c="$cpu" -v r="$rss" -v t="$text" -v d="$disk" 'BEGIN{
  printf "wall: %.1f s (cpu %.1f s, %.2f cores)\n", w, c, c/w
  printf "throughput: %.0f MB/s of snapshot text\n", t/1e6/w
  printf "peak RSS: %.0f MiB = %.2fx the snapshot text (%.2fx the file on disk)\n", r/1048576, r/t, r/d
}'
"$work/gensnap" -verify "$work/report.json" -manifest "$manifest"
