#!/usr/bin/env bash
# peers.sh — leaklsp against its peers, measured in the same run, each
# figure printed as a ratio to the peer's.
#
#   heap:   leaklsp check --no-static --snapshot S (load + graph + detectors)
#           vs DevTools' own code (npm heap-snapshot-toolkit: parse builds
#           the same graph, dominators and retained sizes) and memlab
#           (@memlab/heap-analysis getFullHeapFromFile), on S: a ~120 MB
#           synthetic snapshot from bench/gensnap unless SNAPSHOT is given.
#   static: leaklsp's scanner on the bench/jsscan-corpus.sh corpus vs
#           oxlint (default rules) on the same directory.
#
# usage: bash bench/peers.sh            (PEERS=heap or PEERS=static for one half;
#        REPS=N static runs of each tool, default 3)
# Peers are installed once, pinned, into $LEAKLSP_CACHE/peers-<pins>.
# Wall times on a shared machine are noisy: the load average is printed
# before every run; runs alternate leaklsp and peer.
set -euo pipefail
export LEAKLSP_INDEX_DIR=off # time the analysis, not a re-open from the index (bench/reopen.sh)
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${LEAKLSP_CACHE:-$root/.cache}
pins=(heap-snapshot-toolkit@1.1.3 @memlab/heap-analysis@2.0.5 @memlab/core@2.0.5 oxlint@1.95.0)
peers=$cache/peers-$(echo "${pins[*]}" | cksum | cut -d' ' -f1)
if [[ ! -f $peers/.installed ]]; then
  echo "peers.sh: installing ${pins[*]} into $peers" >&2
  mkdir -p "$peers"
  echo '{"name":"leaklsp-peers","private":true}' >"$peers/package.json"
  npm install --prefix "$peers" --ignore-scripts --no-audit --no-fund --save-exact "${pins[@]}" >&2
  touch "$peers/.installed"
fi
node=${NODE:-node}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/leaklsp" ./cmd/leaklsp && go build -o "$work/gensnap" ./bench/gensnap)
echo "machine: $(nproc) cpus, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), node $($node --version)"

# measure NAME CMD...: runs CMD under time -v, sets wall (s), cpu (user+sys
# s: what the run cost, whatever else the machine was doing) and rss (MiB).
measure() {
  local name=$1
  shift
  echo "load before $name: $(cut -d' ' -f1-3 /proc/loadavg)"
  local status=0
  /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" || status=$?
  if ((status > 1)); then # 1 is "found something" for leaklsp and linters
    echo "$name failed (exit $status):" >&2
    tail -n 5 "$work/err.txt" "$work/out.txt" >&2
    wall=0 cpu=0 rss=0
    return 1
  fi
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.txt")
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/{s+=$2} END{printf "%.2f", s}' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$work/time.txt")
  echo "$name: $wall s, $cpu s CPU, $rss MiB"
}

# best A B: the smaller of two numbers (0 counts as unset).
best() { awk -v a="$1" -v b="$2" 'BEGIN{print (a > 0 && (b == 0 || a < b)) ? a : b}'; }

# ratio WHAT OURS THEIRS: how many times better ours is (theirs/ours).
ratio() { awk -v w="$1" -v a="$2" -v b="$3" 'BEGIN{ if (a > 0 && b > 0) printf "  %s: %.2fx (leaklsp %s, peer %s)\n", w, b/a, a, b; else print "  " w ": n/a" }'; }

if [[ ${PEERS:-all} != static ]]; then
  snap=${SNAPSHOT:-}
  if [[ -z $snap ]]; then
    snap=$work/peer.heapsnapshot
    "$work/gensnap" -size "${SIZE:-120MB}" -o "$snap" 2>&1
  fi
  echo "heap snapshot: $snap ($(stat -c %s "$snap") bytes)"
  mkdir -p "$work/empty"
  cat >"$work/devtools.mjs" <<'EOF'
import { createReadStream } from 'node:fs'
import { parse } from 'heap-snapshot-toolkit'
const snap = await parse(createReadStream(process.argv[2], 'utf-8'))
console.log(JSON.stringify(snap.getStatistics()))
EOF
  cat >"$work/memlab.cjs" <<'EOF'
const { getFullHeapFromFile } = require('@memlab/heap-analysis')
getFullHeapFromFile(process.argv[2]).then(heap => console.log(heap.nodes.length))
EOF
  ln -s "$peers/node_modules" "$work/node_modules"
  heapOpt=--max-old-space-size=12288
  measure leaklsp "$work/leaklsp" check --no-static --exit-zero --snapshot "$snap" "$work/empty"
  lw=$wall lr=$rss
  measure heap-snapshot-toolkit "$node" "$heapOpt" "$work/devtools.mjs" "$snap" || true
  dw=$wall dr=$rss
  measure leaklsp "$work/leaklsp" check --no-static --exit-zero --snapshot "$snap" "$work/empty"
  lw=$(awk -v a="$lw" -v b="$wall" 'BEGIN{print (a<b)?a:b}') lr=$(((lr > rss) ? lr : rss))
  measure memlab "$node" "$heapOpt" "$work/memlab.cjs" "$snap" || true
  mw=$wall mr=$rss
  echo "heap (best leaklsp run of two; ratio = peer / leaklsp, higher is better for leaklsp):"
  ratio "vs heap-snapshot-toolkit wall s" "$lw" "$dw"
  ratio "vs heap-snapshot-toolkit peak MiB" "$lr" "$dr"
  ratio "vs memlab wall s" "$lw" "$mw"
  ratio "vs memlab peak MiB" "$lr" "$mr"
fi

if [[ ${PEERS:-all} != heap ]]; then
  corpus=$cache/jsscan-corpus/node_modules
  [[ -d $corpus ]] || LEAKLSP_CACHE=$cache bash "$root/bench/jsscan-corpus.sh" >/dev/null
  bytes=$(find "$corpus" -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.cjs' -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' \) -printf '%s\n' | awk '{s+=$1} END{print s}')
  echo "static corpus: $corpus ($((bytes / 1000000)) MB of JS/TS)"
  # REPS runs each, alternating; the best wall and CPU time of each tool
  # and its largest peak RSS (a shared machine only ever slows a run down).
  sw=0 sc=0 sr=0 ow=0 oc=0 or=0
  for ((rep = 1; rep <= ${REPS:-3}; rep++)); do
    measure "leaklsp (static)" "$work/leaklsp" check --exit-zero "$corpus"
    sw=$(best "$sw" "$wall") sc=$(best "$sc" "$cpu") sr=$((sr > rss ? sr : rss))
    measure oxlint "$peers/node_modules/.bin/oxlint" --no-ignore --quiet "$corpus" || true
    ow=$(best "$ow" "$wall") oc=$(best "$oc" "$cpu") or=$((or > rss ? or : rss))
  done
  grep -hEo 'on [0-9]+ files' "$work/out.txt" "$work/err.txt" | head -1 | sed 's/^/  oxlint linted /' || true
  echo "static (best of ${REPS:-3} each; ratio = oxlint / leaklsp, higher is better for leaklsp):"
  ratio "wall s" "$sw" "$ow"
  ratio "CPU s (user+sys)" "$sc" "$oc"
  ratio "peak MiB" "$sr" "$or"
  awk -v b="$bytes" -v a="$sw" -v o="$ow" 'BEGIN{ if (a > 0 && o > 0) printf "  throughput: leaklsp %.1f MB/s, oxlint %.1f MB/s\n", b/1e6/a, b/1e6/o }'
fi
