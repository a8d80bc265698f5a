#!/usr/bin/env bash
# Rebuilds service.heapsnapshot.gz from service.js with the node on PATH.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
SNAPSHOT_OUT="$tmp/service.heapsnapshot" node --expose-gc service.js
gzip -9 -n -c "$tmp/service.heapsnapshot" > service.heapsnapshot.gz
ls -l service.heapsnapshot.gz
