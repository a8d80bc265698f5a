#!/usr/bin/env bash
# Rebuilds service.heapsnapshot.gz from service.js with the node on PATH.
#
# The service runs as if deployed at /srv/app (a private mount namespace
# bind-mounts a copy of it there), with HOME=/home/app and an empty
# environment, so the snapshot records /srv/app/service.js and nothing of
# this machine; the README maps it back with --map /srv/app=... . Needs
# util-linux's unshare, and root or unprivileged user namespaces.
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
node=$(command -v node) || { echo "generate.sh: node not on PATH" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/app"
cp service.js "$tmp/app/"
userns=()
[ "$(id -u)" = 0 ] || userns=(--map-root-user)
# Inside: a tmpfs over /srv (no trace on the host), /srv/app = the copy.
unshare --mount "${userns[@]}" --propagation private -- bash -c '
  set -e
  mount -t tmpfs tmpfs /srv
  mkdir /srv/app
  mount --bind "$1/app" /srv/app
  cd /srv/app
  env -i PATH=/usr/bin:/bin HOME=/home/app SNAPSHOT_OUT=/srv/app/service.heapsnapshot "$2" --expose-gc /srv/app/service.js
' bash "$tmp" "$node"
gzip -9 -n -c "$tmp/app/service.heapsnapshot" > service.heapsnapshot.gz
if [ "$(zcat service.heapsnapshot.gz | grep -c -F -e "$here" -e "$tmp" -e "$HOME")" != 0 ]; then
  echo "generate.sh: the snapshot still names a path of this machine" >&2
  exit 1
fi
ls -l service.heapsnapshot.gz
