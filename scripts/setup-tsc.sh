#!/usr/bin/env bash
# Installs the TypeScript compiler the Go tests compile fixtures with, pinned,
# into a cache outside git, and exports LEAKLSP_TSC. Meant to be sourced
# (scripts/test.sh does); quick and offline once installed.
#   source scripts/setup-tsc.sh    # then: go test ./jsscan/...
TSC_VERSION=5.9.3   # typescript@5: the 7.x line has no JS compiler API
_leaklsp_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_leaklsp_tsc_dir="${LEAKLSP_CACHE:-$_leaklsp_root/.cache}/tsc-$TSC_VERSION"
_leaklsp_tsc="$_leaklsp_tsc_dir/node_modules/typescript/bin/tsc"
if [[ ! -x "$_leaklsp_tsc" ]] || ! grep -q "\"version\": \"$TSC_VERSION\"" "$_leaklsp_tsc_dir/node_modules/typescript/package.json"; then
  echo "setup-tsc: installing typescript@$TSC_VERSION into $_leaklsp_tsc_dir" >&2
  mkdir -p "$_leaklsp_tsc_dir"
  npm install --prefix "$_leaklsp_tsc_dir" --no-save --no-audit --no-fund --ignore-scripts \
    "typescript@$TSC_VERSION" >&2 || { echo "setup-tsc: npm install failed" >&2; return 1 2>/dev/null || exit 1; }
fi
export LEAKLSP_TSC="$_leaklsp_tsc"
echo "setup-tsc: LEAKLSP_TSC=$LEAKLSP_TSC (typescript@$TSC_VERSION)" >&2
unset _leaklsp_root _leaklsp_tsc_dir _leaklsp_tsc
