# Sourced by the VS Code end-to-end test (e2e.sh): the repository paths, code-server (installed on first use), a temp dir that is
# removed on exit with the processes the test started, the extension's npm
# dependencies, and the steps every test takes with code-server.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EXT=$(cd "$HERE/.." && pwd)
REPO=$(cd "$EXT/../.." && pwd)

CODE_SERVER=$(bash "$REPO/scripts/install-code-server.sh" | tail -n 1)

TMP=$(mktemp -d)
SHOTS=$(mktemp -d -t leaklsp-vscode-shots.XXXXXX)
CS_PID=""    # code-server's process group, once started
NODE_PID=""  # a Node process the test started, if any
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

cd "$EXT"
bash "$REPO/scripts/npm-ci-cached.sh" "$EXT" >&2
mkdir -p "$TMP/data/User" "$TMP/ext"

# user_settings [JSON-MEMBER…]: a quiet profile (no tours, updates or
# telemetry) plus the members given, e.g. '"files.simpleDialog.enable": true'.
user_settings() {
  {
    echo '{'
    local m
    for m in "$@"; do echo "  $m,"; done
    cat <<'JSON'
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
  } >"$TMP/data/User/settings.json"
}

# install_vsix VSIX: picks a free port, writes code-server's config and
# installs the extension into the test's own extensions dir (sets PORT, CS).
install_vsix() {
  PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" >"$TMP/config.yaml"
  CS=("$CODE_SERVER" --config "$TMP/config.yaml" --user-data-dir "$TMP/data" --extensions-dir "$TMP/ext")
  "${CS[@]}" --install-extension "$1" >&2
}

# start_code_server: starts code-server on the workspace in its own process
# group and waits for it to answer (sets CS_PID and start).
start_code_server() {
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
}

# run_driver SCRIPT [ARG…]: runs a playwright driver against code-server
# (for at most $DRIVER_TIMEOUT s, default 300) and adds the "N passed, N
# failed" lines it prints (one per part) to PASSED and FAILED; on failure
# keeps its screenshots and the logs (in $SHOTS) and returns 1.
PASSED=0 FAILED=0
run_driver() {
  local script=$1 rc out=$TMP/$1.out
  shift
  set +e
  LEAKLSP_SHOTS="$SHOTS" timeout "${DRIVER_TIMEOUT:-300}" node "$HERE/$script" "$@" | tee "$out"
  rc=${PIPESTATUS[0]}
  set -e
  echo "vscode e2e: $script done $(( $(date +%s) - start ))s after code-server started" >&2
  local counts
  counts=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$out" | awk '{p += $1; f += $2} END {if (NR) print p, f}')
  [ -n "$counts" ] || counts="0 1"   # it died before its summary
  [ $rc -eq 0 ] || [ "${counts#* }" != 0 ] || counts="${counts% *} 1"   # died after one
  PASSED=$(( PASSED + ${counts% *} )) FAILED=$(( FAILED + ${counts#* } ))
  if [ $rc -ne 0 ]; then
    cp "$TMP/code-server.log" "$SHOTS/" 2>/dev/null || true
    find "$TMP/data/logs" -name '*leaklsp*.log' -exec cp {} "$SHOTS/" \; 2>/dev/null || true
    echo "vscode e2e: $script failed; screenshot and logs kept in $SHOTS" >&2
    return 1
  fi
}
