#!/usr/bin/env bash
# heap-tests.sh — the bar of `go test ./heap` (issue #8: <= 60 s, <= 1 GiB):
# builds the heap package's test binary, runs every test once (-count=1)
# under /usr/bin/time -v and prints plain "name: value" lines: wall time,
# user and system CPU seconds, peak RSS (the largest process: the test
# binary, or a DevTools model run of TestDevToolsParity on a cold cache)
# and the load average before and after. Compare CPU time when the machine
# is busy; wall time only means something on a quiet one.
#
# usage: bench/heap-tests.sh            # LEAKLSP_CACHE as for the tests
#        RUN=TestVersionMatrix bench/heap-tests.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go test -c -o "$tmp/heap.test" ./heap)
args=(-test.count=1)
[[ -n ${RUN:-} ]] && args+=(-test.run "$RUN")
echo "load_before: $(cut -d' ' -f1-3 /proc/loadavg)"
if ! (cd "$root/heap" && /usr/bin/time -v -o "$tmp/time" "$tmp/heap.test" "${args[@]}" >"$tmp/out" 2>&1); then
  cat "$tmp/out" >&2
  exit 1
fi
tail -1 "$tmp/out"
awk -F': ' '
  /Elapsed \(wall clock\)/ { print "wall: " $2 }
  /User time/              { print "user_s: " $2 }
  /System time/            { print "sys_s: " $2 }
  /Maximum resident/       { printf "peak_rss_mb: %.0f\n", $2 / 1024 }' "$tmp/time"
echo "load_after: $(cut -d' ' -f1-3 /proc/loadavg)"
