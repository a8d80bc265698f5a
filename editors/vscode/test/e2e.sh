#!/usr/bin/env bash
# End-to-end test of the VS Code extension (editors/vscode) in real VS Code:
# code-server 4.100.3 (VS Code 1.100.3) driven in headless Chromium by
# playwright-core, against the real leaklsp server. One packaged .vsix, one
# code-server, one browser page that loads a workbench per part, each on its
# own workspace folder, one after the other (drive-parts.js):
#   heap     drive.js: squiggle, Problems, the preferred quick fix, "Leak: Open
#            Heap Snapshot…" on the heap fixtures (testdata/fixtures/heap)
#   capture  drive-capture.js: "Leak: Find Growth in Process…" on a real Node
#            HTTP service that leaks a Session per /login (started with
#            --inspect=127.0.0.1:0), then "Leak: Capture from Debug Session"
#            on a js-debug launch of a leaking script, counts as inlay hints
#
#   bash editors/vscode/test/e2e.sh                     # builds server + .vsix
#   LEAKLSP_E2E_PARTS=capture bash editors/vscode/test/e2e.sh   # one part
#   LEAKLSP_SERVER=/path/to/leaklsp bash editors/vscode/test/e2e.sh
#   LEAKLSP_VSIX=universal bash editors/vscode/test/e2e.sh   # the .vsix without a server;
#       the server sits in the workspaces as the leaklsp npm package puts it
#   LEAKLSP_VSIX=/path/to/leaklsp-linux-x64-0.2.0.vsix bash …   # a release's .vsix
#   LEAKLSP_SCREENSHOTS=1 bash editors/vscode/test/e2e.sh   # also writes docs/images/vscode-*.png
#
# The first run installs code-server + chromium (~2-5 min, ~300 MB, cached in
# ~/.cache/leaklsp). Prints each part's JSON summary and "N passed, N failed"
# over both; exits non-zero on failure and keeps screenshots (path printed).
set -euo pipefail

FIXTURES=${LEAKLSP_FIXTURES:-$(cd "$(dirname "$0")/../../.." && pwd)/testdata/fixtures/heap}
if [ ! -f "$FIXTURES/manifest.json" ]; then
  echo "vscode e2e: fixtures not found at $FIXTURES" >&2
  exit 1
fi
FIXTURES=$(cd "$FIXTURES" && pwd)

source "$(dirname "$0")/lib.sh"   # paths, code-server, $TMP, npm ci; cds to the extension
PARTS=${LEAKLSP_E2E_PARTS:-heap capture}
HEAP_WS=$TMP/ws CAPTURE_WS=$TMP/ws-capture

# ---- package the extension ------------------------------------------------------
# The test installs a packaged .vsix, as users do, never the source folder.
NPM_SERVER=""
case ${LEAKLSP_VSIX:-linux-x64} in
  universal)
    VSIX=$(bash package.sh universal | tail -n 1)
    NPM_SERVER=${LEAKLSP_SERVER:-}
    if [ -z "$NPM_SERVER" ]; then
      (cd "$REPO" && go build -o "$TMP/leaklsp" ./cmd/leaklsp)
      NPM_SERVER=$TMP/leaklsp
    fi
    ;;
  linux-x64)
    VSIX=$(bash package.sh linux-x64 | tail -n 1)   # builds the server unless LEAKLSP_SERVER is set
    ;;
  *) VSIX=$LEAKLSP_VSIX ;;
esac

# ---- the heap part's workspace: the fixtures' programs --------------------------
heap_workspace() {
  mkdir -p "$HEAP_WS/.vscode"
  (cd "$FIXTURES" && tar cf - --exclude=./snapshots .) | (cd "$HEAP_WS" && tar xf -)
  chmod -R u+w "$HEAP_WS"
  echo '{ "name": "leaklsp-heap-fixtures", "private": true }' >"$HEAP_WS/package.json"
  # Snapshot scripts are /srv/app/heap/...; a relative mapping exercises the
  # extension's resolution against the workspace folder.
  local from
  from=$(node -e 'const m=require(process.argv[1]);const s=m.snapshots.find(s=>s.scenario==="a-timers-als");console.log(require("path").dirname(s.script_path_in_snapshot))' "$FIXTURES/manifest.json")
  echo "{ \"leaklsp.pathMappings\": { \"$from\": \".\" } }" >"$HEAP_WS/.vscode/settings.json"
}

# ---- the capture part's workspace: the leaking service, running with an inspector
APP=$REPO/cmd/leaklsp/testdata/watch  # server.js (labelled LEAK120) and load.js
capture_workspace() {
  mkdir -p "$CAPTURE_WS/.vscode"
  cp "$APP/server.js" "$APP/load.js" "$CAPTURE_WS/"
  echo '{ "name": "leaklsp-growth-e2e", "private": true }' >"$CAPTURE_WS/package.json"
  (cd "$CAPTURE_WS" && exec node --inspect=127.0.0.1:0 server.js >"$TMP/node.out" 2>"$TMP/node.err") &
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
  cat >"$CAPTURE_WS/.vscode/launch.json" <<'JSON'
{
  "version": "0.2.0",
  "configurations": [
    { "type": "node", "request": "launch", "name": "Leaky timers", "program": "${workspaceFolder}/timers-als.js" }
  ]
}
JSON
  echo '{ "leaklsp.lens": { "style": "inlayHint" } }' >"$CAPTURE_WS/.vscode/settings.json"
}

# npm_server FOLDER: the server where `npm install -D leaklsp` puts this
# machine's binary (the universal .vsix finds it there; it is not on PATH).
npm_server() {
  local pkg=$1/node_modules/@leaklsp/$(node -p 'process.platform + "-" + process.arch')
  mkdir -p "$pkg/bin"
  cp "$NPM_SERVER" "$pkg/bin/leaklsp"
  echo '{ "name": "leaklsp-platform", "version": "0.0.0" }' >"$pkg/package.json"
}

for part in $PARTS; do
  case $part in
    heap) heap_workspace; ws=$HEAP_WS ;;
    capture) capture_workspace; ws=$CAPTURE_WS ;;
    *) echo "vscode e2e: unknown part $part (heap, capture)" >&2; exit 2 ;;
  esac
  [ -z "$NPM_SERVER" ] || npm_server "$ws"
done
if [ -n "$NPM_SERVER" ] && command -v leaklsp >/dev/null; then
  echo "vscode e2e: leaklsp is on PATH ($(command -v leaklsp)); the universal test needs it not to be" >&2; exit 1
fi
user_settings '"files.simpleDialog.enable": true' '"debug.internalConsoleOptions": "neverOpen"'
install_vsix "$VSIX"
# What got installed: the platform .vsix carries the server, the universal one not.
installed=$(ls -d "$TMP"/ext/leaklsp.leaklsp-* 2>/dev/null | head -n 1)
if [ -z "$installed" ]; then
  echo "vscode e2e: $VSIX did not install into $TMP/ext" >&2; exit 1
elif [ -z "$NPM_SERVER" ] && [ ! -x "$installed/bin/leaklsp" ]; then
  echo "vscode e2e: $VSIX did not install bin/leaklsp" >&2; exit 1
elif [ -n "$NPM_SERVER" ] && [ -e "$installed/bin" ]; then
  echo "vscode e2e: the universal $VSIX installed a bin/" >&2; exit 1
fi

start_code_server

DOC_IMAGES=""
if [ "${LEAKLSP_SCREENSHOTS:-}" = 1 ]; then
  DOC_IMAGES=$REPO/docs/images
  mkdir -p "$DOC_IMAGES"
fi

# Every part in one browser page, one after the other (drive-parts.js): a
# workbench loaded where the previous one was costs less CPU.
rc=0 parts=() timeout=0
url() { echo "CS_URL=http://127.0.0.1:$PORT/?folder=$1"; }
for part in $PARTS; do
  case $part in
    heap) parts+=(-- drive.js "$(url "$HEAP_WS")" LEAKLSP_WS="$HEAP_WS" LEAKLSP_FIXTURES="$FIXTURES" LEAKLSP_DOC_IMAGES="$DOC_IMAGES")
      timeout=$((timeout + 300)) ;;
    capture) parts+=(-- drive-capture.js "$(url "$CAPTURE_WS")" LEAKLSP_WS="$CAPTURE_WS" LEAKLSP_APP_PID="$NODE_PID" \
      LEAKLSP_APP_PORT="$APP_PORT" LEAKLSP_DEBUGGEE="$REPO/inspector/testdata/timers-als.js")
      timeout=$((timeout + 600)) ;;
  esac
done
# In the environment: a command line naming timers-als.js would make the
# driver one more candidate for "Capture from Debug Session".
LEAKLSP_PARTS=$(printf '%s\n' "${parts[@]}")
export LEAKLSP_PARTS
DRIVER_TIMEOUT=$timeout run_driver drive-parts.js || rc=1
[ $rc -ne 0 ] || rm -rf "$SHOTS"
echo "$PASSED passed, $FAILED failed"
exit $rc
