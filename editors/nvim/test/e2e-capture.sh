#!/usr/bin/env bash
# End-to-end test of :LeakCapture, :LeakGrowth, :LeakSuspects, :LeakRetainers
# and the heap CodeLens in real headless Neovim, against a real leaking Node
# process started with --inspect=127.0.0.1:0 and the real leaklsp server.
#
#   bash editors/nvim/test/e2e-capture.sh
#   LEAKLSP_SERVER=/path/to/leaklsp LEAKLSP_NODE=/path/to/node bash editors/nvim/test/e2e-capture.sh
#   LEAKLSP_NVIM=$(bash scripts/install-neovim-current.sh) bash editors/nvim/test/e2e-capture.sh
#
# Prints a JSON summary and "N passed, N failed"; exits non-zero on failure.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
NODE=${LEAKLSP_NODE:-$(command -v node || true)}
if [ -z "$NODE" ]; then
  echo "nvim capture e2e: no node (set LEAKLSP_NODE)" >&2
  exit 1
fi

# LEAKLSP_NVIM: the Neovim to test (scripts/test.sh runs both bookworm's
# 0.7.2 and, from scripts/install-neovim-current.sh, 0.12); else apt's nvim.
NVIM=${LEAKLSP_NVIM:-}
if [ -z "$NVIM" ]; then
  bash "$REPO/scripts/install-neovim.sh"
  NVIM=nvim
fi

TMP=$(mktemp -d)
NODE_PID=
cleanup() {
  [ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

SERVER=${LEAKLSP_SERVER:-}
if [ -z "$SERVER" ]; then
  (cd "$REPO" && go build -o "$TMP/leaklsp" ./cmd/leaklsp)
  SERVER=$TMP/leaklsp
fi

# The workspace: the leaking service the inspector tests capture (its
# LEAK101 line is labelled in the file), as a project.
mkdir -p "$TMP/ws"
cp "$REPO/inspector/testdata/timers-als.js" "$TMP/ws/"
echo '{ "name": "leaklsp-capture-e2e", "private": true }' > "$TMP/ws/package.json"

(cd "$TMP/ws" && exec "$NODE" --inspect=127.0.0.1:0 timers-als.js >"$TMP/node.out" 2>"$TMP/node.err") &
NODE_PID=$!
for _ in $(seq 1 300); do
  grep -q '^ready' "$TMP/node.out" 2>/dev/null && break
  sleep 0.1
done
ADDR=$(sed -n 's#.*Debugger listening on ws://\([^/]*\)/.*#\1#p' "$TMP/node.err" | head -1)
if [ -z "$ADDR" ] || ! grep -q '^ready' "$TMP/node.out"; then
  echo "nvim capture e2e: node did not start with an inspector:" >&2
  cat "$TMP/node.err" >&2
  exit 1
fi

export XDG_CACHE_HOME=$TMP/cache XDG_STATE_HOME=$TMP/state XDG_DATA_HOME=$TMP/data
export LEAKLSP_WS=$TMP/ws LEAKLSP_SERVER=$SERVER LEAKLSP_PLUGIN=$REPO/editors/nvim LEAKLSP_TARGET=$ADDR

cd "$TMP/ws"
set +e
timeout 300 "$NVIM" --headless --clean -n -c "luafile $HERE/e2e-capture.lua" >"$TMP/out" 2>"$TMP/err"
rc=$?
set -e
cat "$TMP/out"
if [ $rc -ne 0 ]; then
  echo "nvim capture e2e: nvim exited with $rc; stderr:" >&2
  tail -n 40 "$TMP/err" >&2
  [ -f "$XDG_CACHE_HOME/nvim/lsp.log" ] && tail -n 40 "$XDG_CACHE_HOME/nvim/lsp.log" >&2
  grep -q ' passed, ' "$TMP/out" || echo "0 passed, 1 failed"
  exit 1
fi
