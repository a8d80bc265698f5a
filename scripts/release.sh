#!/usr/bin/env bash
# Builds every release artifact of one version into dist/:
#
#   dist/bin/<target>/leaklsp[.exe]           the server for each platform
#   dist/npm/leaklsp-VERSION.tgz              the npm package (bin shim)
#   dist/npm/leaklsp-<target>-VERSION.tgz     one npm package per platform binary
#   dist/vsix/leaklsp-<target>-VERSION.vsix   VS Code, one per platform (server bundled)
#   dist/vsix/leaklsp-universal-VERSION.vsix  VS Code without a server (uses PATH / npm)
#   dist/leaklsp.nvim/, dist/leaklsp.nvim-VERSION.tar.gz   the Neovim plugin, with doc/tags
#
#   bash scripts/release.sh 0.2.0
#   bash scripts/release.sh --targets linux-x64 --only npm --out /tmp/d 0.2.0   # what the npm e2e test builds
#
# Targets: linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64 win32-arm64
# (npm's process.platform-process.arch, also vsce's --target names).
# Needs Go and Node/npm; Neovim for the help tags (installed by
# scripts/install-neovim.sh). Binaries are static (CGO_ENABLED=0) and
# reproducible (-trimpath); `leaklsp --version` prints VERSION.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)

ALL_TARGETS="linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64 win32-arm64"
targets=$ALL_TARGETS
only="bin,npm,vsix,nvim"
out=$REPO/dist
usage="usage: release.sh [--targets 'T…'] [--only bin,npm,vsix,nvim] [--out DIR] VERSION"
while [ $# -gt 0 ]; do
  case $1 in
    --targets) targets=${2//,/ }; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) echo "$usage"; exit 0 ;;
    -*) echo "release: unknown flag $1; $usage" >&2; exit 2 ;;
    *) break ;;
  esac
done
VERSION=${1:-}
# Semantic version without a leading v; the Marketplace takes no pre-release
# suffix, so .vsix files need MAJOR.MINOR.PATCH.
if ! [[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "release: VERSION must look like 1.2.3 (got '${VERSION}'); $usage" >&2
  exit 2
fi
wants() { [[ ",$only," == *",$1,"* ]]; }
for t in $targets; do
  [[ " $ALL_TARGETS " == *" $t "* ]] || { echo "release: unknown target $t (known: $ALL_TARGETS)" >&2; exit 2; }
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
STAGE=$out/.stage
rm -rf "$STAGE"
mkdir -p "$STAGE"
trap 'rm -rf "$STAGE"' EXIT
log() { echo "release: $*" >&2; }

exe_of() { [[ $1 == win32-* ]] && echo leaklsp.exe || echo leaklsp; }
goos_of() { case $1 in linux-*) echo linux ;; darwin-*) echo darwin ;; win32-*) echo windows ;; esac; }
goarch_of() { case $1 in *-x64) echo amd64 ;; *-arm64) echo arm64 ;; esac; }

# ---- server binaries ----------------------------------------------------------
# npm and vsix need them: build them unless only nvim is asked for.
if wants bin || wants npm || wants vsix; then
  for t in $targets; do
    bin=$out/bin/$t/$(exe_of "$t")
    log "go build $t -> ${bin#"$out"/}"
    mkdir -p "$(dirname "$bin")"
    (cd "$REPO" && CGO_ENABLED=0 GOOS=$(goos_of "$t") GOARCH=$(goarch_of "$t") \
      go build -trimpath -ldflags "-s -w -X main.version=$VERSION" -o "$bin" ./cmd/leaklsp)
  done
fi

# ---- npm ----------------------------------------------------------------------
# Each package is staged as a copy with the version stamped, then `npm pack`ed.
stamp() { node "$REPO/scripts/release/stamp-version.js" "$@"; }
pack() { # pack DIR: npm pack into $out/npm, prints nothing
  (cd "$1" && npm pack --silent --pack-destination "$out/npm" >/dev/null)
}
add_license() { [ -f "$REPO/LICENSE" ] && cp "$REPO/LICENSE" "$1/" || true; }
if wants npm; then
  mkdir -p "$out/npm"
  rm -f "$out"/npm/*.tgz
  for t in $targets; do
    dir=$STAGE/npm/$t
    mkdir -p "$dir/bin"
    cp "$REPO/npm/@leaklsp/$t/package.json" "$REPO/npm/@leaklsp/$t/README.md" "$dir/"
    cp "$out/bin/$t/$(exe_of "$t")" "$dir/bin/"
    chmod 755 "$dir/bin/$(exe_of "$t")"
    add_license "$dir"
    stamp "$dir/package.json" "$VERSION"
    pack "$dir"
  done
  dir=$STAGE/npm/leaklsp
  mkdir -p "$dir"
  cp -R "$REPO/npm/leaklsp/." "$dir/"
  chmod 755 "$dir/bin/leaklsp.js"
  add_license "$dir"
  stamp "$dir/package.json" "$VERSION"
  pack "$dir"
  log "npm: $(cd "$out/npm" && echo *.tgz)"
fi

# ---- VS Code ------------------------------------------------------------------
# A staged copy of editors/vscode (its node_modules linked) gets the version,
# then package.sh builds one .vsix per target with that target's binary, and
# the universal one without a binary.
if wants vsix; then
  src=$REPO/editors/vscode
  if [ ! -d "$src/node_modules" ] || [ "$src/package-lock.json" -nt "$src/node_modules/.package-lock.json" ]; then
    log "npm ci in editors/vscode"
    (cd "$src" && npm ci --no-audit --no-fund >&2)
  fi
  dir=$STAGE/vscode
  mkdir -p "$dir" "$out/vsix"
  (cd "$src" && tar cf - --exclude=./node_modules --exclude=./bin --exclude=./dist --exclude='*.vsix' .) | (cd "$dir" && tar xf -)
  ln -s "$src/node_modules" "$dir/node_modules"
  add_license "$dir"
  stamp "$dir/package.json" "$VERSION"
  for t in $targets universal; do
    server=""
    [ "$t" = universal ] || server=$out/bin/$t/$(exe_of "$t")
    vsix=$(LEAKLSP_SERVER=$server bash "$dir/package.sh" "$t" | tail -n 1)
    mv "$vsix" "$out/vsix/leaklsp-$t-$VERSION.vsix"
    log "vsix: leaklsp-$t-$VERSION.vsix"
  done
fi

# ---- Neovim -------------------------------------------------------------------
if wants nvim; then
  bash "$REPO/scripts/release/nvim-plugin.sh" "$out/leaklsp.nvim"
  tar -C "$out" -czf "$out/leaklsp.nvim-$VERSION.tar.gz" leaklsp.nvim
  log "nvim: leaklsp.nvim/ and leaklsp.nvim-$VERSION.tar.gz"
fi
log "done: $out"
