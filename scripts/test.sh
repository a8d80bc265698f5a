#!/usr/bin/env bash
# Runs every test of the project: static checks, Go unit/integration tests
# (with real TypeScript compiler output), and the end-to-end tests in real
# Neovim and real VS Code (code-server). Installs what it needs, pinned.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/check-go.sh
source scripts/setup-tsc.sh          # exports LEAKLSP_TSC (typescript@5 from npm)
go test -count=1 ./...
bash editors/nvim/test/e2e.sh
bash npm/test/e2e.sh                 # npm pack + npm install, no Go on PATH
bash editors/vscode/test/e2e.sh
