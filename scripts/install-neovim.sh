#!/usr/bin/env bash
# Installs Neovim for the Neovim end-to-end test: Debian bookworm's 0.7.2-7
# (the only Neovim apt offers here; the plugin also supports newer versions).
# Does nothing if `nvim` is already on PATH.
set -euo pipefail

NVIM_DEB_VERSION=0.7.2-7   # Debian 12 (bookworm)

if command -v nvim >/dev/null 2>&1; then
  exit 0
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
apt_get() { DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 -y -qq "$@"; }

echo "install-neovim: apt-get install neovim=$NVIM_DEB_VERSION" >&2
apt_get update >&2
if ! apt_get install "neovim=$NVIM_DEB_VERSION" >&2; then
  # Another Debian release: take its Neovim (the plugin supports 0.7 and newer).
  echo "install-neovim: $NVIM_DEB_VERSION not available, installing the distribution's neovim" >&2
  apt_get install neovim >&2
fi
nvim --version | head -1 >&2
