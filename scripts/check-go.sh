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
for m in go.lsp.dev/protocol go.lsp.dev/jsonrpc2 go.lsp.dev/uri; do
  grep -qE "^\s*$m v1\.0\.1$" go.mod || { echo "go.mod must pin $m v1.0.1"; exit 1; }
done
echo "check-go: ok"
