#!/usr/bin/env bash
# Regenerates worker.js and worker.js.map from worker.ts with the pinned
# TypeScript (target es2015: async becomes __awaiter + generators).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${LEAKLSP_CACHE:-$here/../../../../../../.cache}"
tsc="$cache/tsc-5.9.3/node_modules/.bin/tsc"
if [[ ! -x "$tsc" ]]; then
  mkdir -p "$cache/tsc-5.9.3"
  npm install --silent --no-save --prefix "$cache/tsc-5.9.3" typescript@5.9.3 >/dev/null
fi
"$tsc" -p "$here/tsconfig.json"
