#!/usr/bin/env bash
# Flakes (not part of CI): REPS (default 20) runs of each framework's suite
# (node:test, Jest, Vitest, Mocha) with every example leak, leaky and
# fixed, and the failures per framework and Node version. The failing
# outputs stay in LOG_DIR (default: a new directory, printed).
#
#   bash npm/leaklsp/testing/test/flakes.sh                     # the machine's node
#   NODE_VERSIONS="18.16.0 26.12.1" REPS=5 bash …/flakes.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export LOG_DIR="${LOG_DIR:-$(mktemp -d -t leaklsp-flakes-XXXXXX)}"
echo "flakes: failing outputs go to $LOG_DIR" >&2
FULL=1 REPS="${REPS:-20}" NODE_VERSIONS="${NODE_VERSIONS:-$(node --version | tr -d v)}" \
  FULL_FILES=test/node/examples.test.cjs exec bash "$here/run.sh"
