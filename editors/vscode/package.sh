#!/usr/bin/env bash
# Builds leaklsp-<target>.vsix carrying the leaklsp server for that platform.
#
#   ./package.sh                 # linux-x64
#   ./package.sh darwin-arm64    # any vsce target listed below
#   ./package.sh universal       # no server inside: uses leaklsp.server.path, the
#                                # workspace's node_modules/.bin (npm i -D leaklsp), PATH
#   LEAKLSP_SERVER=/path/to/leaklsp ./package.sh   # bundle a prebuilt binary
#
# Needs `npm ci` first. vsce runs vscode:prepublish (type check + esbuild).
# scripts/release.sh builds every target from one version.
set -euo pipefail
cd "$(dirname "$0")"

target=${1:-linux-x64}
case $target in
  linux-x64 | alpine-x64) goos=linux goarch=amd64 ;;
  linux-arm64 | alpine-arm64) goos=linux goarch=arm64 ;;
  linux-armhf) goos=linux goarch=arm ;;
  darwin-x64) goos=darwin goarch=amd64 ;;
  darwin-arm64) goos=darwin goarch=arm64 ;;
  win32-x64) goos=windows goarch=amd64 ;;
  win32-arm64) goos=windows goarch=arm64 ;;
  universal) goos="" goarch="" ;;
  *) echo "package.sh: unknown target $target" >&2; exit 2 ;;
esac
exe=leaklsp
[ "$goos" = windows ] && exe=leaklsp.exe

rm -rf bin
if [ "$target" = universal ]; then
  npx vsce package --no-dependencies --skip-license -o "leaklsp-$target.vsix" >&2
  echo "$PWD/leaklsp-$target.vsix"
  exit 0
fi
mkdir bin
if [ -n "${LEAKLSP_SERVER:-}" ]; then
  cp "$LEAKLSP_SERVER" "bin/$exe"
else
  (cd ../.. && CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath -ldflags=-s -o "editors/vscode/bin/$exe" ./cmd/leaklsp)
fi
chmod +x "bin/$exe"
npx vsce package --no-dependencies --skip-license --target "$target" -o "leaklsp-$target.vsix" >&2
echo "$PWD/leaklsp-$target.vsix"
