#!/usr/bin/env bash
# End-to-end test of the npm distribution, as a JavaScript developer gets it:
# scripts/release.sh builds this machine's platform package and the leaklsp
# package, `npm pack`s them, and they are installed with plain `npm install
# <tarballs>` into an empty folder, with no Go on PATH. Then run.js runs
# `npx leaklsp check` with the README's command on the bundled example and
# compares the findings with the README's, runs a leak test that requires
# leaklsp/testing (one assertNoLeak passes, one fails with its file:line),
# speaks LSP to `npx leaklsp --stdio`, and checks the shim's errors and
# LEAKLSP_BINARY_PATH.
#
#   bash npm/test/e2e.sh
#
# Prints "N passed, N failed"; exits non-zero on failure.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VERSION=0.0.0-e2e.1
TARGET=$(node -p 'process.platform + "-" + process.arch')

TMP=$(mktemp -d -t leaklsp-npm-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

bash "$REPO/scripts/release.sh" --targets "$TARGET" --only npm --out "$TMP/dist" "$VERSION"

# PATH without any folder that has a `go`: the user has Node, not Go.
NOGO=""
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -n "$d" ] && [ ! -x "$d/go" ] && NOGO=${NOGO:+$NOGO:}$d
done
if PATH=$NOGO command -v go >/dev/null; then
  echo "npm e2e: could not take go off PATH" >&2
  exit 1
fi

# An empty project with a copy of the example (the README's command runs from
# the repository root, so the example keeps its relative path).
APP=$TMP/app
mkdir -p "$APP/examples"
cp -R "$REPO/examples/leaky-service" "$APP/examples/"
echo '{ "name": "leaklsp-npm-e2e", "private": true }' >"$APP/package.json"
if ! (cd "$APP" && PATH=$NOGO npm install --no-audit --no-fund "$TMP"/dist/npm/*.tgz >"$TMP/npm-install.log" 2>&1); then
  echo "npm e2e: npm install failed:" >&2
  tail -n 30 "$TMP/npm-install.log" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

cd "$APP"
PATH=$NOGO LEAKLSP_E2E_VERSION=$VERSION LEAKLSP_E2E_README=$REPO/README.md \
  LEAKLSP_E2E_PLATFORM_PACKAGE="@leaklsp/$TARGET" timeout 300 node "$HERE/run.js"
