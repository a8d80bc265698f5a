#!/usr/bin/env bash
# testing-overhead.sh — the leaklsp/testing bar: assertNoLeak on a 50 MB
# live heap, one passing and one failing assertion per run (issue #13:
# ≤ 2 s each). Prints wall and CPU seconds per assertion and the load.
#
# usage: bench/testing-overhead.sh [MB] [RUNS]
#   NODE=/path/to/node picks the node (default: node on PATH);
#   LEAKLSP_TESTING_TRACE=1 adds one line per step of each assertion.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ -z ${LEAKLSP_BINARY_PATH:-} ]]; then
  (cd "$root" && go build -o "$work/leaklsp" ./cmd/leaklsp)
  export LEAKLSP_BINARY_PATH=$work/leaklsp
fi
exec "${NODE:-node}" "$root/npm/leaklsp/testing/bench/overhead.cjs" "$@"
