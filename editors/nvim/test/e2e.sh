#!/usr/bin/env bash
# End-to-end test of the Neovim plugin (editors/nvim) in real headless Neovim
# against the real leaklsp server and the heap-snapshot fixtures.
#
#   bash editors/nvim/test/e2e.sh          # builds the server from this repo
#   LEAKLSP_SERVER=/path/to/leaklsp bash editors/nvim/test/e2e.sh
#   LEAKLSP_NVIM=$(bash scripts/install-neovim-current.sh) bash editors/nvim/test/e2e.sh
#
# Installs Neovim from apt if it is missing (and LEAKLSP_NVIM is not set). Prints a JSON summary and
# "N passed, N failed"; exits non-zero on any failure.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
FIXTURES=${LEAKLSP_FIXTURES:-$REPO/testdata/fixtures/heap}
if [ ! -f "$FIXTURES/manifest.json" ]; then
  echo "nvim e2e: fixtures not found at $FIXTURES" >&2
  exit 1
fi
FIXTURES=$(cd "$FIXTURES" && pwd)

# LEAKLSP_NVIM: the Neovim to test (scripts/test.sh runs both bookworm's
# 0.7.2 and, from scripts/install-neovim-current.sh, 0.12); else apt's nvim.
NVIM=${LEAKLSP_NVIM:-}
if [ -z "$NVIM" ]; then
  bash "$REPO/scripts/install-neovim.sh"
  NVIM=nvim
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# The plugin as released (lua/, lsp/, plugin/, doc/ with doc/tags), not the
# source folder: what a plugin manager installs.
bash "$REPO/scripts/release/nvim-plugin.sh" "$TMP/plugin"

SERVER=${LEAKLSP_SERVER:-}
if [ -z "$SERVER" ]; then
  (cd "$REPO" && go build -o "$TMP/leaklsp" ./cmd/leaklsp)
  SERVER=$TMP/leaklsp
fi

# A writable copy of the fixture programs (not the snapshots: they are read
# where they are). A package.json marks it as the project root.
mkdir -p "$TMP/ws"
(cd "$FIXTURES" && tar cf - --exclude=./snapshots .) | (cd "$TMP/ws" && tar xf -)
chmod -R u+w "$TMP/ws"
echo '{ "name": "leaklsp-heap-fixtures", "private": true }' > "$TMP/ws/package.json"
# examples/poller and a heap snapshot of its load, for "Add leak regression
# test" (no package.json of its own: one workspace root, one client).
mkdir -p "$TMP/ws/poller"
cp "$REPO/examples/poller/poller.js" "$REPO/examples/poller/load.js" "$TMP/ws/poller/"
(cd "$TMP/ws/poller" && node load.js "$TMP/poller.heapsnapshot")
export LEAKLSP_POLLER_SNAPSHOT=$TMP/poller.heapsnapshot

# Keep Neovim's lsp.log and shada out of $HOME.
export XDG_CACHE_HOME=$TMP/cache XDG_STATE_HOME=$TMP/state XDG_DATA_HOME=$TMP/data
export LEAKLSP_WS=$TMP/ws LEAKLSP_FIXTURES=$FIXTURES LEAKLSP_SERVER=$SERVER LEAKLSP_PLUGIN=$TMP/plugin

# Two runs, two fresh Neovims: e2e.lua (setup(), the 0.7–0.10 path, every
# feature) and packaging.lua (plugin/, :help, lsp/leaklsp.lua as
# vim.lsp.enable uses it).
cd "$TMP/ws"
passed=0 failed=0 status=0
for t in e2e packaging; do
  set +e
  timeout 300 "$NVIM" --headless --clean -n -c "luafile $HERE/$t.lua" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  set -e
  cat "$TMP/out"
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$TMP/out" | tail -n 1 || true)
  if [ -n "$line" ]; then
    read -r p _ f _ <<<"$line"
    passed=$((passed + p)) failed=$((failed + f))
  else
    failed=$((failed + 1))
  fi
  if [ $rc -ne 0 ]; then
    status=1
    echo "nvim e2e: $t.lua: nvim exited with $rc; stderr:" >&2
    tail -n 40 "$TMP/err" >&2
    [ -f "$XDG_CACHE_HOME/nvim/lsp.log" ] && tail -n 40 "$XDG_CACHE_HOME/nvim/lsp.log" >&2
  fi
done
echo "$passed passed, $failed failed"
exit $status
