#!/usr/bin/env bash
# Captures a leaking script over the inspector from each Node.js major the
# project supports and checks the snapshot finds the leak
# (inspector.TestCaptureNodeVersions). Installs the binaries first
# (scripts/install-node.sh, cached). Pass versions to override the list.
#   bash scripts/test-capture-versions.sh [VERSION…]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
versions=("$@")
if [[ ${#versions[@]} -eq 0 ]]; then
  versions=(12.16.0 18.20.8 20.20.2 22.23.5 24.22.3 26.12.1)
fi
nodes=()
for v in "${versions[@]}"; do
  nodes+=("$(bash "$root/scripts/install-node.sh" "$v")")
done
list="$(IFS=:; echo "${nodes[*]}")"
cd "$root"
LEAKLSP_NODE_VERSIONS="$list" go test -count=1 -run 'TestCaptureNodeVersions' -v ./inspector
