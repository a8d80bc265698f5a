#!/usr/bin/env bash
# End-to-end test of the VS Code extension (editors/vscode) in real VS Code:
# code-server 4.100.3 (VS Code 1.100.3) driven in headless Chromium by
# playwright-core, against the real leaklsp server and the heap fixtures.
#
#   bash editors/vscode/test/e2e.sh                     # builds server + .vsix
#   LEAKLSP_SERVER=/path/to/leaklsp bash editors/vscode/test/e2e.sh
#   LEAKLSP_VSIX=universal bash editors/vscode/test/e2e.sh   # the .vsix without a server;
#       the server sits in the workspace as the leaklsp npm package puts it
#   LEAKLSP_VSIX=/path/to/leaklsp-linux-x64-0.2.0.vsix bash …   # a release's .vsix
#   LEAKLSP_SCREENSHOTS=1 bash editors/vscode/test/e2e.sh   # also writes docs/images/vscode-*.png
#
# The first run installs code-server + chromium (~2-5 min, ~300 MB, cached in
# ~/.cache/leaklsp). Prints a JSON summary and "N passed, N failed"; exits
# non-zero on failure and keeps a screenshot (path printed).
set -euo pipefail

FIXTURES=${LEAKLSP_FIXTURES:-$(cd "$(dirname "$0")/../../.." && pwd)/testdata/fixtures/heap}
if [ ! -f "$FIXTURES/manifest.json" ]; then
  echo "vscode e2e: fixtures not found at $FIXTURES" >&2
  exit 1
fi
FIXTURES=$(cd "$FIXTURES" && pwd)

source "$(dirname "$0")/lib.sh"   # paths, code-server, $TMP, npm ci; cds to the extension

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

# ---- fresh workspace, profile and extensions dir -------------------------------
(cd "$FIXTURES" && tar cf - --exclude=./snapshots .) | (cd "$TMP/ws" && tar xf -)
chmod -R u+w "$TMP/ws"
echo '{ "name": "leaklsp-heap-fixtures", "private": true }' >"$TMP/ws/package.json"
if [ -n "$NPM_SERVER" ]; then
  # Where `npm install -D leaklsp` puts this machine's binary; leaklsp is not on PATH.
  pkg=$TMP/ws/node_modules/@leaklsp/$(node -p 'process.platform + "-" + process.arch')
  mkdir -p "$pkg/bin"
  cp "$NPM_SERVER" "$pkg/bin/leaklsp"
  echo '{ "name": "leaklsp-platform", "version": "0.0.0" }' >"$pkg/package.json"
  if command -v leaklsp >/dev/null; then
    echo "vscode e2e: leaklsp is on PATH ($(command -v leaklsp)); the universal test needs it not to be" >&2; exit 1
  fi
fi
# Snapshot scripts are /srv/app/heap/...; a relative mapping exercises the
# extension's resolution against the workspace folder.
MAPPED_FROM=$(node -e 'const m=require(process.argv[1]);const s=m.snapshots.find(s=>s.scenario==="a-timers-als");console.log(require("path").dirname(s.script_path_in_snapshot))' "$FIXTURES/manifest.json")
cat >"$TMP/ws/.vscode/settings.json" <<JSON
{ "leaklsp.pathMappings": { "$MAPPED_FROM": "." } }
JSON
user_settings '"files.simpleDialog.enable": true'
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

run_driver drive.js LEAKLSP_FIXTURES="$FIXTURES" LEAKLSP_DOC_IMAGES="$DOC_IMAGES"
