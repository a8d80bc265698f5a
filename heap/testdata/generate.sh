#!/usr/bin/env bash
# Regenerates the heap package's own snapshot fixtures (checked in as gzip;
# ground truth in manifest.json, see README.md) with node 20.20.2 from
# scripts/install-node.sh.
#
# The programs run from /srv/app/heap/testdata with node bind-mounted at
# /srv/node, HOME=/srv/app and an empty environment, in a private mount
# namespace (a tmpfs on /srv) and a loopback-only network namespace, so the
# snapshots record /srv/... and never this machine's paths. Needs root or
# unprivileged user namespaces for `unshare -m -n`, and ip(8).
#
#   ./generate.sh                       # every snapshot
#   ./generate.sh promise-recursion.js  # just one program's
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
node="$(bash "$root/scripts/install-node.sh" 20.20.2)"
nodedir="$(dirname "$(dirname "$node")")"

only="${1:-}"

run() { # [ENV=VALUE…] [--node-flag…] PROGRAM.js: one run; its *.heapsnapshot go to snapshots/ as .gz
  local program="${*: -1}" envs=() flags=(--expose-gc)
  [[ -n "$only" && "$only" != "$program" ]] && return 0
  for a in "${@:1:$#-1}"; do
    if [[ "$a" == --* ]]; then flags+=("$a"); else envs+=("$a"); fi
  done
  unshare -m -n -- sh -c '
    set -e
    here="$1" nodedir="$2"
    shift 2
    ip link set lo up
    mount -t tmpfs tmpfs /srv
    mkdir -p /srv/app/heap/testdata /srv/node
    mount --bind "$nodedir" /srv/node
    cp "$here"/*.js /srv/app/heap/testdata/
    cd /srv/app/heap/testdata
    env -i PATH=/srv/node/bin:/usr/bin:/bin HOME=/srv/app "$@"
    for f in *.heapsnapshot; do gzip -9 -n -c "$f" > "$here/snapshots/$f.gz"; done
  ' sh "$here" "$nodedir" "${envs[@]}" /srv/node/bin/node "${flags[@]}" "$program"
}

"$node" --version
run SNAPSHOT_OUT=interval-server.heapsnapshot interval-server.js
run SNAPSHOT_OUT=interval-server-clear.heapsnapshot CLEAR=1 interval-server.js
run SNAPSHOT_OUT=listeners.heapsnapshot listeners.js
run SNAPSHOT_OUT=listeners-off.heapsnapshot OFF=1 listeners.js
run BASELINE_OUT=listeners-baseline.heapsnapshot SNAPSHOT_OUT=listeners-grown.heapsnapshot listeners.js
run SNAPSHOT_OUT=timers-held.heapsnapshot timers-held.js
run SNAPSHOT_OUT=timers-held-clear.heapsnapshot CLEAR=1 timers-held.js
run BASELINE_OUT=growth-baseline.heapsnapshot TARGET_OUT=growth-target.heapsnapshot growth.js
run SNAPSHOT_OUT=promise-recursion.heapsnapshot promise-recursion.js
run SNAPSHOT_OUT=promise-recursion.tracked.heapsnapshot --track-heap-objects promise-recursion.js
ls -l "$here/snapshots"
