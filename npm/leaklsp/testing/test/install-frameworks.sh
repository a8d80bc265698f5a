#!/usr/bin/env bash
# Installs the pinned test frameworks the suites run under into a cache
# outside git (LEAKLSP_CACHE, else the repo's .cache) and prints the
# directory whose node_modules/.bin holds jest, vitest and mocha. Quick and
# offline once installed.
#   Pins: jest 29.7.0, mocha 10.8.2 and vitest 3.2.4 with vite 6.4.6 — the
#   newest that still run on Node 18 (vite 7 wants Node ≥ 20.19).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
pins=(jest@29.7.0 mocha@10.8.2 vitest@3.2.4 vite@6.4.6)
dir="${LEAKLSP_CACHE:-$root/.cache}/testing-frameworks/$(IFS=-; echo "${pins[*]}" | tr '@/' '__')"
if [[ ! -x "$dir/node_modules/.bin/vitest" || ! -x "$dir/node_modules/.bin/jest" || ! -x "$dir/node_modules/.bin/mocha" ]]; then
  echo "install-frameworks: ${pins[*]} -> $dir" >&2
  mkdir -p "$dir"
  [[ -f "$dir/package.json" ]] || echo '{"name":"leaklsp-testing-frameworks","private":true}' >"$dir/package.json"
  (cd "$dir" && npm install --silent --no-audit --no-fund --save-exact "${pins[@]}" >&2)
fi
echo "$dir"
