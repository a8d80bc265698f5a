#!/usr/bin/env bash
# End-to-end test of "Leak: Find Growth in Process…" in real VS Code
# (code-server in headless Chromium, playwright-core) against a real Node
# HTTP service that leaks a Session per /login into a Map, started with
# --inspect=127.0.0.1:0, and the real leaklsp server. Measures the time from
# the palette command to the LEAK120 diagnostic on the growing line. Then
# "Leak: Capture from Debug Session" on a js-debug launch of a leaking
# script (LEAK101 on its labelled line) with the heap counts as inlay hints.
#
#   bash editors/vscode/test/e2e-capture.sh
#   LEAKLSP_SERVER=/path/to/leaklsp bash editors/vscode/test/e2e-capture.sh
#
# The first run installs code-server + chromium (~2-5 min, ~300 MB, cached in
# ~/.cache/leaklsp). Prints a JSON summary and "N passed, N failed"; exits
# non-zero on failure and keeps a screenshot (path printed).
set -euo pipefail

source "$(dirname "$0")/lib.sh"   # paths, code-server, $TMP, npm ci; cds to the extension
APP=$REPO/cmd/leaklsp/testdata/watch  # server.js (labelled LEAK120) and load.js

# ---- package the extension with the server ----------------------------------
VSIX=$(bash package.sh linux-x64 | tail -n 1)   # builds the server unless LEAKLSP_SERVER is set
npx vsce ls --no-dependencies | grep -qx 'bin/leaklsp' || { echo "vscode e2e: the .vsix would not carry bin/leaklsp" >&2; exit 1; }

# ---- workspace: the leaking service, running with an inspector --------------
cp "$APP/server.js" "$APP/load.js" "$TMP/ws/"
echo '{ "name": "leaklsp-growth-e2e", "private": true }' >"$TMP/ws/package.json"
(cd "$TMP/ws" && exec node --inspect=127.0.0.1:0 server.js >"$TMP/node.out" 2>"$TMP/node.err") &
NODE_PID=$!
for _ in $(seq 1 300); do
  grep -q '^ready' "$TMP/node.out" 2>/dev/null && break
  sleep 0.1
done
APP_PORT=$(sed -n 's/^ready //p' "$TMP/node.out")
if [ -z "$APP_PORT" ] || ! grep -q 'Debugger listening' "$TMP/node.err"; then
  echo "vscode e2e: the service did not start with an inspector" >&2
  cat "$TMP/node.err" >&2
  exit 1
fi
# For "Leak: Capture from Debug Session": a launch configuration of the
# leaking timers script (the driver copies the script in when it needs it,
# so it stays out of the growth part's Problems list). js-debug is built in.
cat >"$TMP/ws/.vscode/launch.json" <<'JSON'
{
  "version": "0.2.0",
  "configurations": [
    { "type": "node", "request": "launch", "name": "Leaky timers", "program": "${workspaceFolder}/timers-als.js" }
  ]
}
JSON
user_settings '"leaklsp.lens": { "style": "inlayHint" }' '"debug.internalConsoleOptions": "neverOpen"'
install_vsix "$VSIX"
start_code_server
DRIVER_TIMEOUT=600 run_driver drive-capture.js LEAKLSP_APP_PID="$NODE_PID" LEAKLSP_APP_PORT="$APP_PORT" \
  LEAKLSP_DEBUGGEE="$REPO/inspector/testdata/timers-als.js"
