#!/usr/bin/env bash
# Runs every test of the project: static checks, Go unit/integration tests
# (with real TypeScript compiler output), and the end-to-end tests in real
# Neovim and real VS Code (code-server). Installs what it needs, pinned;
# never upgrades an installed system package (scripts/apt-install.sh).
#
# Prints one line per step. Everything the steps print (go test -v style
# output, npm and apt logs) goes to one log file, $LEAKLSP_TEST_LOG or a new
# file under $TMPDIR, whose path a failure names.
set -euo pipefail
cd "$(dirname "$0")/.."

LOG=${LEAKLSP_TEST_LOG:-$(mktemp "${TMPDIR:-/tmp}/leaklsp-test.XXXXXX.log")}
: >"$LOG"
suite_start=$(date +%s)

# step NAME CMD...: runs CMD in this shell (so `source` works) with its
# output in the log, and prints NAME, the time and a summary.
step() {
  local name=$1 start rc=0 first
  shift
  printf '%-28s ' "$name"
  echo "=== $name: $*" >>"$LOG"
  first=$(( $(wc -l <"$LOG") + 1 ))   # this step's first line of output
  start=$(date +%s)
  "$@" >>"$LOG" 2>&1 || rc=$?
  local took=$(( $(date +%s) - start ))s
  if [ $rc -ne 0 ]; then
    echo "FAILED ($took)"
    # The failing tests if go test or an e2e says which, else the end.
    local why
    why=$(tail -n +"$first" "$LOG" | grep -E -- '^\s*(--- FAIL|FAIL|panic:)|^FAIL |[0-9]+ passed, [0-9]+ failed' | tail -n 20 || true)
    [ -n "$why" ] || why=$(tail -n +"$first" "$LOG" | tail -n 15)
    echo "$why"
    echo "test.sh: step \"$name\" failed (exit $rc); full log: $LOG"
    exit 1
  fi
  # e2e scripts end with "N passed, N failed"; go test with package lines.
  local summary
  summary=$(tail -n +"$first" "$LOG" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1 || true)
  echo "ok ($took)${summary:+, $summary}"
}

go_tests() {
  # -count=1: the point is to run them. One package per line in the log.
  go test -count=1 ./...
}

echo "leaklsp tests; log: $LOG"
step "gofmt, go vet, pins" bash scripts/check-go.sh
step "typescript (npm, pinned)" source scripts/setup-tsc.sh   # exports LEAKLSP_TSC
step "DevTools heap model (npm)" source scripts/setup-devtools.sh   # for heap.TestDevToolsParity
step "go test ./..." go_tests
step "capture, Node 12 to 26" bash scripts/test-capture-versions.sh
step "Neovim end-to-end" bash editors/nvim/test/e2e.sh
step "Neovim capture end-to-end" bash editors/nvim/test/e2e-capture.sh
step "npm package end-to-end" bash npm/test/e2e.sh   # npm pack + npm install, no Go on PATH
step "leaklsp/testing, 4 frameworks" bash npm/leaklsp/testing/test/run.sh   # Node 18-26 too
step "VS Code end-to-end" bash editors/vscode/test/e2e.sh
step "VS Code capture end-to-end" bash editors/vscode/test/e2e-capture.sh
echo "all passed in $(( $(date +%s) - suite_start ))s; log: $LOG"
