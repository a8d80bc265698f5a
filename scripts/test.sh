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
PARTS=$(mktemp -d "${TMPDIR:-/tmp}/leaklsp-test-parts.XXXXXX")
trap 'rm -rf "$PARTS"' EXIT
suite_start=$(date +%s)

# step NAME CMD...: runs CMD in this shell (so `source` works) with its
# output in its own part of the log, and prints NAME, the time and a summary
# as one line (lanes run side by side; one short write does not interleave).
# Returns CMD's status after printing why it failed.
step() {
  local name=$1 start rc=0 part
  shift
  part=$PARTS/$(date +%s%N).log
  echo "=== $name: $*" >"$part"
  start=$(date +%s)
  "$@" >>"$part" 2>&1 || rc=$?
  local took=$(( $(date +%s) - start ))s
  cat "$part" >>"$LOG"
  if [ $rc -ne 0 ]; then
    # The failing tests if go test or an e2e says which, else the end.
    local why
    why=$(grep -E -- '^\s*(--- FAIL|FAIL|panic:)|^FAIL |[0-9]+ passed, [0-9]+ failed' "$part" | tail -n 20 || true)
    [ -n "$why" ] || why=$(tail -n 15 "$part")
    printf '%-28s FAILED (%s)\n%s\ntest.sh: step "%s" failed (exit %s); full log: %s\n' "$name" "$took" "$why" "$name" "$rc" "$LOG"
    return 1
  fi
  # e2e scripts end with "N passed, N failed"; go test with package lines.
  local summary
  summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$part" | tail -n 1 || true)
  printf '%-28s ok (%s)%s\n' "$name" "$took" "${summary:+, $summary}"
}

go_tests() {
  # -count=1: the point is to run them. One package per line in the log.
  go test -count=1 ./...
}

# nvim_current SCRIPT: a Neovim e2e on a current Neovim (Debian forky's,
# unpacked into the cache with its own C library) instead of apt's 0.7.
nvim_current() {
  LEAKLSP_NVIM=$(bash scripts/install-neovim-current.sh) bash "$1"
}

# Two lanes run side by side. The suite is ~350 s of CPU warm on two
# cores (measured in a cgroup: time(1) misses code-server and the browser,
# which nobody waits for), and go test and the leaklsp/testing suites each
# keep both cores busy on their own: run together they only thrash
# (measured: 200-207 s in all, with two or three lanes), one after the
# other they take 42 + 51 s alone. So lane 1 runs those two in turn, and
# lane 2 the VS Code test (~100 CPU-s in ~65 s alone: browser, code-server,
# extension host and tsserver), then the lighter end-to-end tests and the
# gofmt/vet/cross-build check (warm: lane 1 ~170 s, lane 2 ~165 s with it).
# Each lane stops at its first failure.
lane1() {
  # The server built above, for regtest and the leaklsp/testing suites
  # (each would build its own). Not for lane 2: the npm end-to-end test
  # checks that the installed package finds its own binary.
  local LEAKLSP_BINARY_PATH=$LEAKLSP_SERVER
  export LEAKLSP_BINARY_PATH
  step "go test ./..." go_tests &&
    step "leaklsp/testing, 4 frameworks" bash npm/leaklsp/testing/test/run.sh   # Node 18-26 too
}
lane2() {
  step "VS Code end-to-end" bash editors/vscode/test/e2e.sh &&   # heap and capture parts
    step "capture, Node 12 to 26" bash scripts/test-capture-versions.sh &&
    step "Neovim 0.7 end-to-end" bash editors/nvim/test/e2e.sh &&   # Debian bookworm's, from apt
    step "Neovim 0.7 capture" bash editors/nvim/test/e2e-capture.sh &&
    step "Neovim 0.12 end-to-end" nvim_current editors/nvim/test/e2e.sh &&   # vim.lsp.config/enable
    step "Neovim 0.12 capture" nvim_current editors/nvim/test/e2e-capture.sh &&
    step "npm package end-to-end" bash npm/test/e2e.sh &&   # npm pack + npm install, no Go on PATH
    step "gofmt, go vet, pins" bash scripts/check-go.sh   # here, not first in lane 1: that lane is the longer
}

# Without -trimpath the build cache keys every package of this repository
# on the checkout's directory: each fresh clone (CI's way) compiled and
# vetted them all again, ~50 s of CPU on a warm machine. With it, a clone
# anywhere reuses what any other clone built.
export GOFLAGS="-trimpath${GOFLAGS:+ $GOFLAGS}"

echo "leaklsp tests; log: $LOG"
step "typescript (npm, pinned)" source scripts/setup-tsc.sh || exit 1   # exports LEAKLSP_TSC
step "DevTools heap model (npm)" source scripts/setup-devtools.sh || exit 1   # for heap.TestDevToolsParity
# One server binary for every end-to-end test (each would build its own).
export LEAKLSP_SERVER=$PARTS/bin/leaklsp
step "build leaklsp" go build -o "$LEAKLSP_SERVER" ./cmd/leaklsp || exit 1
# code-server takes minutes to install the first time: start it now, next
# to everything else; the VS Code steps wait for it (the script's lock).
bash scripts/install-code-server.sh >"$PARTS/code-server-install.log" 2>&1 & pid3=$!
lane1 & pid1=$!
lane2 & pid2=$!
rc=0
wait $pid1 || rc=1
wait $pid2 || rc=1
if [ $rc -ne 0 ]; then
  kill $pid3 2>/dev/null || true
  exit 1
fi
wait $pid3 || true   # its failure, if any, is the VS Code steps' to report
echo "all passed in $(( $(date +%s) - suite_start ))s; log: $LOG"
