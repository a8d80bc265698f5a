#!/usr/bin/env bash
# Regenerates the mixed-kinds snapshots of the DevTools differential test
# (heap/devtools_parity_test.go picks up every snapshot in the repo). The
# program is compiled under the neutral path /srv/app/mixed.js, so no path of
# the machine that ran it ends up in the snapshot.
#   ./generate.sh                 # node on PATH -> mixed.heapsnapshot.gz
#   ./generate.sh 26.12.1 ...     # also mixed-node<v>.heapsnapshot.gz (scripts/install-node.sh)
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The program runs from an empty working directory, with its source on stdin
# and HOME elsewhere, so that no path of this checkout or user is in the
# heap. Where user namespaces work, that directory is /srv/app itself and
# node runs as /srv/node/bin/node (a private tmpfs; process.execPath is in
# the heap), else a fresh temporary directory and node where it is.
loader='
const Module = require("node:module")
const file = "/srv/app/mixed.js"
const m = new Module(file)
m.filename = file
m._compile(require("node:fs").readFileSync(0, "utf8"), file)'
run() { # node-binary output.heapsnapshot.gz
  local node=$1 out=$tmp/out.heapsnapshot
  if unshare -rm true 2>/dev/null; then
    unshare -rm bash -c 'mount -t tmpfs none /srv && mkdir -p /srv/app /srv/node/bin &&
      cp "$1" /srv/node/bin/node && cd /srv/app &&
      HOME=/srv/app SNAPSHOT_OUT=out.heapsnapshot /srv/node/bin/node --expose-gc -e "$2" &&
      mv out.heapsnapshot "$3"' - \
      "$node" "$loader" "$out" <mixed.js
  else
    (cd "$tmp" && HOME=/srv/app SNAPSHOT_OUT=out.heapsnapshot "$node" --expose-gc -e "$loader") <mixed.js
  fi
  gzip -9 -n -c "$out" >"$2"
  printf '%-34s node %-9s raw %9d  gz %8d\n' "$2" "$("$node" --version)" "$(stat -c %s "$out")" "$(stat -c %s "$2")"
  rm "$out"
}
run "$(command -v node)" mixed.heapsnapshot.gz
for v in "$@"; do
  run "$(bash ../../../scripts/install-node.sh "$v")" "mixed-node$v.heapsnapshot.gz"
done
