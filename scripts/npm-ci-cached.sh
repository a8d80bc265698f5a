#!/usr/bin/env bash
# npm-ci-cached.sh DIR: DIR/node_modules exactly as `npm ci` makes it from
# DIR/package-lock.json, without running npm ci in every fresh clone. The
# first run installs into $LEAKLSP_CACHE (default ~/.cache/leaklsp), keyed
# by a hash of the lockfile; every run then copies that tree as hard links
# (a second at most; a plain copy across file systems). A changed lockfile
# is a new key, so a stale tree is never used.
set -euo pipefail
dir=$(cd "$1" && pwd)
cache=${LEAKLSP_CACHE:-$HOME/.cache/leaklsp}
key=$(basename "$dir")-$(sha256sum "$dir/package-lock.json" | cut -c1-16)
[ "$(cat "$dir/node_modules/.leaklsp-key" 2>/dev/null)" = "$key" ] && exit 0

tree=$cache/node_modules/$key
mkdir -p "$cache/node_modules"
exec 9>"$tree.lock"   # parallel test runs share the cache
flock 9
if [ ! -d "$tree" ]; then
  rm -rf "$tree.tmp"
  mkdir -p "$tree.tmp"
  cp "$dir/package.json" "$dir/package-lock.json" "$tree.tmp/"
  (cd "$tree.tmp" && npm ci --no-audit --no-fund)
  mv -T "$tree.tmp" "$tree"
fi
rm -rf "$dir/node_modules"
cp -al "$tree/node_modules" "$dir/node_modules" 2>/dev/null || cp -a "$tree/node_modules" "$dir/node_modules"
echo "$key" >"$dir/node_modules/.leaklsp-key"
