#!/usr/bin/env bash
# Static checks: formatting, vet, and the go.lsp.dev pins (the proxy's
# @latest for protocol is the incompatible v0.12.0 line).
set -euo pipefail
cd "$(dirname "$0")/.."

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [[ -n "$unformatted" ]]; then
  echo "gofmt needed:"; echo "$unformatted"; exit 1
fi
go vet ./...
# The release ships these too (scripts/release.sh); a Unix-only call in the
# server must not break them.
for target in windows/amd64 darwin/arm64; do
  GOOS=${target%/*} GOARCH=${target#*/} go build -o /dev/null ./cmd/leaklsp
done
for m in go.lsp.dev/protocol go.lsp.dev/jsonrpc2 go.lsp.dev/uri; do
  grep -qE "^\s*$m v1\.0\.1$" go.mod || { echo "go.mod must pin $m v1.0.1"; exit 1; }
done
echo "check-go: ok"
