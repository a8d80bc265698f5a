#!/usr/bin/env bash
# Installs Neovim for the Neovim end-to-end test: Debian bookworm's 0.7.2-7
# (the only Neovim apt offers here; the plugin also supports newer versions).
# Does nothing if `nvim` is already on PATH. Never upgrades installed
# packages (scripts/apt-install.sh).
set -euo pipefail

NVIM_DEB_VERSION=0.7.2-7   # Debian 12 (bookworm)

if command -v nvim >/dev/null 2>&1; then
  exit 0
fi
apt_install() { bash "$(dirname "$0")/apt-install.sh" "the Neovim end-to-end test" "$@"; }
if ! apt_install "neovim=$NVIM_DEB_VERSION"; then
  # Another Debian release: take its Neovim (the plugin supports 0.7 and newer).
  echo "install-neovim: neovim=$NVIM_DEB_VERSION not available, trying the distribution's neovim" >&2
  apt_install neovim
fi
nvim --version | head -1 >&2
