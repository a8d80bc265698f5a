#!/usr/bin/env bash
# nvim-plugin.sh OUT: lays out the Neovim plugin (editors/nvim) as a plugin
# repository of its own — lua/, lsp/, plugin/, doc/ with doc/tags, README,
# LICENSE — for plugin managers and `vim.pack` that cannot install a
# subdirectory. doc/tags is made here with :helptags (Neovim from
# scripts/install-neovim.sh), so `:help leaklsp` works however it is installed.
# Used by scripts/release.sh and by editors/nvim/test/e2e.sh.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:?usage: nvim-plugin.sh OUT}

bash "$REPO/scripts/install-neovim.sh"
rm -rf "$OUT"
mkdir -p "$OUT"
for d in lua lsp plugin doc; do
  cp -R "$REPO/editors/nvim/$d" "$OUT/"
done
rm -f "$OUT/doc/tags"
cp "$REPO/editors/nvim/README.md" "$OUT/README.md"
[ -f "$REPO/LICENSE" ] && cp "$REPO/LICENSE" "$OUT/"
# --clean: no user config; helptags fails loudly (E154 duplicate tag, …).
nvim --headless --clean -n -c "helptags $OUT/doc" -c 'qa!' </dev/null 2>"$OUT/.helptags.err" || {
  cat "$OUT/.helptags.err" >&2; exit 1; }
rm -f "$OUT/.helptags.err"
[ -s "$OUT/doc/tags" ] || { echo "nvim-plugin: helptags wrote no $OUT/doc/tags" >&2; exit 1; }
echo "nvim-plugin: $OUT" >&2
