#!/usr/bin/env bash
# Takes docs/images/nvim-heap.png: real Neovim in a tmux terminal with the
# plugin, the a-timers-als fixture workspace and its heap snapshot loaded,
# hover open on the leaking line. The terminal's cells
# (with colours) go through aha to HTML, which headless Chromium renders.
#   bash docs/tools/nvim-screenshot.sh      # needs tmux, aha, chromium, nvim
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
FIXTURES=$(cd "${LEAKLSP_FIXTURES:-$REPO/testdata/fixtures/heap}" && pwd)
OUT=${1:-$REPO/docs/images/nvim-heap.png}
for tool in tmux aha chromium nvim; do
  command -v "$tool" >/dev/null || { echo "nvim-screenshot: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done
TMP=$(mktemp -d)
trap 'tmux -L leaklsp-shot kill-server 2>/dev/null || true; rm -rf "$TMP"' EXIT
(cd "$REPO" && go build -o "$TMP/leaklsp" ./cmd/leaklsp)
mkdir -p "$TMP/ws"
(cd "$FIXTURES" && tar cf - --exclude=./snapshots .) | (cd "$TMP/ws" && tar xf -)
chmod -R u+w "$TMP/ws"
echo '{ "name": "leak-demo", "private": true }' >"$TMP/ws/package.json"
cat >"$TMP/init.lua" <<LUA
vim.opt.runtimepath:prepend("$REPO/editors/nvim")
vim.o.number = true
vim.o.termguicolors = true
vim.o.laststatus = 2
vim.o.shortmess = vim.o.shortmess .. "F"
vim.cmd("colorscheme default")
vim.o.background = "dark"
vim.cmd("highlight SignColumn guibg=NONE ctermbg=NONE")
vim.cmd("highlight NormalFloat guibg=#202830")
require("leaklsp").setup({
  cmd = { "$TMP/leaklsp", "serve" },
  settings = { pathMappings = { ["/srv/app/heap"] = "$TMP/ws" } },
})
vim.o.statusline = "%f %= %{luaeval('require(\"leaklsp\").status()')} "
vim.defer_fn(function()
  vim.cmd("LeakOpenSnapshot $FIXTURES/snapshots/a-timers-als.heapsnapshot.gz")
end, 1500)
vim.defer_fn(function()
  vim.api.nvim_win_set_cursor(0, { 30, 21 })
  vim.fn.winrestview({ topline = 12 })
end, 4500)
-- In a later tick: the CursorMoved of the jump would close the hover.
vim.defer_fn(function()
  vim.lsp.buf.hover() -- the suspect's counts, retained size and retainer path
end, 5500)
LUA
cd "$TMP/ws"
tmux -L leaklsp-shot -f /dev/null new-session -d -x 118 -y 34 \
  "env TERM=xterm-256color XDG_STATE_HOME=$TMP/state XDG_CACHE_HOME=$TMP/cache nvim --clean -n -u $TMP/init.lua a-timers-als.js"
sleep 8
tmux -L leaklsp-shot capture-pane -e -p >"$TMP/screen.ansi"
aha --black --no-header <"$TMP/screen.ansi" >"$TMP/body.html"
{
  echo '<!doctype html><meta charset="utf-8"><style>'
  echo 'body{margin:0;background:#000}pre{margin:0;padding:8px;font:14px/1.25 "DejaVu Sans Mono",monospace;color:#ddd}'
  echo '</style><pre>'
  cat "$TMP/body.html"
  echo '</pre>'
} >"$TMP/screen.html"
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1016,610 \
  --screenshot="$OUT" "file://$TMP/screen.html" >/dev/null 2>&1
echo "nvim-screenshot: wrote $OUT"
