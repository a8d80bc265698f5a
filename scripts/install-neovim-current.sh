#!/usr/bin/env bash
# Installs a current Neovim for the Neovim end-to-end tests next to the one
# bookworm's apt offers (0.7.2): Debian forky's neovim 0.12, the release
# where vim.lsp.config/vim.lsp.enable is how users configure servers. It is
# built against a newer C library than bookworm's, so it is not installed
# into the system: apt, with its own lists and cache under the cache dir,
# downloads the package and its library closure from deb.debian.org (signed
# by the archive keys the system trusts), dpkg -x unpacks them into
# $LEAKLSP_CACHE/neovim-VERSION, and a wrapper starts nvim through forky's
# own dynamic loader. Nothing on the system changes.
#
#   bash scripts/install-neovim-current.sh    # prints the wrapper's path
#
# Pinned to NVIM_FORKY_VERSION; forky is Debian's testing release, so when
# it has moved on (the pool keeps only current versions) the newest there
# is taken and named on stderr. Logs go to stderr.
set -euo pipefail

NVIM_FORKY_VERSION=0.12.4-1
SUITE=forky
CACHE=${LEAKLSP_CACHE:-$HOME/.cache/leaklsp}
ARCH=$(dpkg --print-architecture)

mkdir -p "$CACHE"
exec 8>"$CACHE/neovim-$SUITE.lock"   # parallel test runs share the cache
flock 8
for dir in "$CACHE"/neovim-"$SUITE"-*/; do
  if [ -x "$dir/nvim" ]; then
    echo "${dir%/}/nvim"
    exit 0
  fi
done

apt_root=$CACHE/neovim-$SUITE.apt
mkdir -p "$apt_root/lists/partial" "$apt_root/archives/partial"
: >"$apt_root/status"   # nothing installed: apt fetches the whole closure
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $SUITE main" >"$apt_root/sources.list"
apt=(apt-get -q -o "Dir::Etc::SourceList=$apt_root/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
  -o "Dir::State::Lists=$apt_root/lists" -o "Dir::State::status=$apt_root/status"
  -o "Dir::Cache=$apt_root" -o "Dir::Cache::archives=$apt_root/archives"
  -o "APT::Architecture=$ARCH" -o Debug::NoLocking=1)
"${apt[@]}" update >&2
version=$NVIM_FORKY_VERSION
if ! "${apt[@]}" install --download-only --no-install-recommends -y "neovim=$version" >&2; then
  version=$(apt-cache -o "Dir::State::Lists=$apt_root/lists" -o "Dir::State::status=$apt_root/status" \
    -o "Dir::Etc::SourceList=$apt_root/sources.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::Cache=$apt_root" \
    policy neovim | sed -n 's/^ *Candidate: //p')
  echo "install-neovim-current: neovim $NVIM_FORKY_VERSION is gone from $SUITE; taking $version" >&2
  "${apt[@]}" install --download-only --no-install-recommends -y "neovim=$version" >&2
fi

root=$CACHE/neovim-$SUITE-$version
rm -rf "$root.tmp"
mkdir -p "$root.tmp"
for deb in "$apt_root"/archives/*.deb; do
  dpkg -x "$deb" "$root.tmp"
done
# forky is merged-/usr: the loader and every library sit in one directory.
# Neovim looks for its tree-sitter parsers (vimdoc: :help) in /usr/lib/nvim,
# a path built in; the wrapper adds the unpacked one to 'runtimepath'.
loader=$(find "$root.tmp/usr/lib" -name 'ld-linux*.so.*' | head -n 1)
loader=${loader#"$root.tmp"}
cat >"$root.tmp/nvim" <<EOF
#!/bin/sh
# Neovim $version from Debian $SUITE, with its own C library (install-neovim-current.sh).
root=\$(dirname "\$0")
VIMRUNTIME=\$root/usr/share/nvim/runtime exec "\$root$loader" --library-path "\$root$(dirname "$loader")" "\$root/usr/bin/nvim" \\
  --cmd "set rtp+=\$root/usr/lib/nvim" "\$@"
EOF
chmod +x "$root.tmp/nvim"
"$root.tmp/nvim" --version | head -n 1 >&2
rm -rf "$root" "$apt_root/archives"
mv -T "$root.tmp" "$root"
echo "$root/nvim"
