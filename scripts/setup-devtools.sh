#!/usr/bin/env bash
# Installs Chrome DevTools' heap snapshot model (npm heap-snapshot-toolkit,
# devtools-frontend's HeapSnapshot.ts bundled), pinned, into a cache outside
# git, for the DevTools differential test (heap/devtools_parity_test.go, via
# scripts/devtools-dump.mjs). Quick and offline once installed.
#   source scripts/setup-devtools.sh   # exports LEAKLSP_DEVTOOLS (scripts/test.sh)
#   bash scripts/setup-devtools.sh     # prints the install directory (the Go test)
DEVTOOLS_TOOLKIT_VERSION=1.1.3
_leaklsp_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_leaklsp_dt_dir="${LEAKLSP_CACHE:-$_leaklsp_root/.cache}/devtools-toolkit-$DEVTOOLS_TOOLKIT_VERSION"
_leaklsp_dt_pkg="$_leaklsp_dt_dir/node_modules/heap-snapshot-toolkit/package.json"
if [[ ! -f "$_leaklsp_dt_pkg" ]] || ! grep -q "\"version\": \"$DEVTOOLS_TOOLKIT_VERSION\"" "$_leaklsp_dt_pkg"; then
  echo "setup-devtools: installing heap-snapshot-toolkit@$DEVTOOLS_TOOLKIT_VERSION into $_leaklsp_dt_dir" >&2
  mkdir -p "$_leaklsp_dt_dir"
  npm install --prefix "$_leaklsp_dt_dir" --no-save --no-audit --no-fund --ignore-scripts \
    "heap-snapshot-toolkit@$DEVTOOLS_TOOLKIT_VERSION" >&2 || { echo "setup-devtools: npm install failed" >&2; return 1 2>/dev/null || exit 1; }
fi
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  echo "$_leaklsp_dt_dir"
else
  export LEAKLSP_DEVTOOLS="$_leaklsp_dt_dir"
  echo "setup-devtools: LEAKLSP_DEVTOOLS=$LEAKLSP_DEVTOOLS (heap-snapshot-toolkit@$DEVTOOLS_TOOLKIT_VERSION)" >&2
fi
unset _leaklsp_root _leaklsp_dt_dir _leaklsp_dt_pkg
