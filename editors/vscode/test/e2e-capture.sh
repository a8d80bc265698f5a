#!/usr/bin/env bash
# End-to-end test of "Leak: Find Growth in Process…" in real VS Code
# (code-server in headless Chromium, playwright-core) against a real Node
# HTTP service that leaks a Session per /login into a Map, started with
# --inspect=127.0.0.1:0, and the real leaklsp server. Measures the time from
# the palette command to the LEAK120 diagnostic on the growing line.
#
#   bash editors/vscode/test/e2e-capture.sh
#   LEAKLSP_SERVER=/path/to/leaklsp bash editors/vscode/test/e2e-capture.sh
#
# The first run installs code-server + chromium (~2-5 min, ~300 MB, cached in
# ~/.cache/leaklsp). Prints a JSON summary and "N passed, N failed"; exits
# non-zero on failure and keeps a screenshot (path printed).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
EXT=$(cd "$HERE/.." && pwd)
REPO=$(cd "$EXT/../.." && pwd)
APP=$REPO/cmd/leaklsp/testdata/watch  # server.js (labelled LEAK120) and load.js

CODE_SERVER=$(bash "$REPO/scripts/install-code-server.sh" | tail -n 1)

TMP=$(mktemp -d)
SHOTS=$(mktemp -d -t leaklsp-vscode-shots.XXXXXX)
CS_PID=""
NODE_PID=""
cleanup() {
  [ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null
  if [ -n "$CS_PID" ]; then
    kill -TERM -- "-$CS_PID" 2>/dev/null || true
    sleep 0.5
    kill -KILL -- "-$CS_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# ---- build the extension and package it with the server --------------------
cd "$EXT"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi
VSIX=$(bash package.sh linux-x64 | tail -n 1)   # builds the server unless LEAKLSP_SERVER is set
npx vsce ls --no-dependencies | grep -qx 'bin/leaklsp' || { echo "vscode e2e: the .vsix would not carry bin/leaklsp" >&2; exit 1; }

# ---- workspace: the leaking service, running with an inspector --------------
mkdir -p "$TMP/ws/.vscode" "$TMP/data/User" "$TMP/ext"
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
cat >"$TMP/data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "typescript.disableAutomaticTypeAcquisition": true,
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.commandCenter.enabled": false,
  "editor.minimap.enabled": false,
  "leaklsp.trace.server": "messages"
}
JSON
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" >"$TMP/config.yaml"
CS=("$CODE_SERVER" --config "$TMP/config.yaml" --user-data-dir "$TMP/data" --extensions-dir "$TMP/ext")

"${CS[@]}" --install-extension "$VSIX" >&2

start=$(date +%s)
setsid "${CS[@]}" --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override "$TMP/ws" >"$TMP/code-server.log" 2>&1 &
CS_PID=$!
if ! node -e '
  const url = process.argv[1], end = Date.now() + 60000;
  (async () => { for (;;) { try { if ((await fetch(url)).ok) return; } catch {} if (Date.now() > end) process.exit(1); await new Promise(r => setTimeout(r, 200)); } })();
' "http://127.0.0.1:$PORT/healthz"; then
  echo "vscode e2e: code-server did not come up; log:" >&2
  tail -n 40 "$TMP/code-server.log" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

set +e
CS_URL="http://127.0.0.1:$PORT/?folder=$TMP/ws" LEAKLSP_WS=$TMP/ws LEAKLSP_SHOTS=$SHOTS \
  LEAKLSP_APP_PID=$NODE_PID LEAKLSP_APP_PORT=$APP_PORT timeout 300 node "$HERE/drive-capture.js"
rc=$?
set -e
echo "vscode e2e: $(( $(date +%s) - start ))s in code-server" >&2
if [ $rc -ne 0 ]; then
  cp "$TMP/code-server.log" "$SHOTS/" 2>/dev/null || true
  find "$TMP/data/logs" -name '*leaklsp*.log' -exec cp {} "$SHOTS/" \; 2>/dev/null || true
  echo "vscode e2e: screenshot and logs kept in $SHOTS" >&2
  exit 1
fi
rm -rf "$SHOTS"
