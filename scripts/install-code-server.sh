#!/usr/bin/env bash
# Installs code-server (VS Code in the browser) plus Debian's chromium for the
# VS Code end-to-end test, without any download from GitHub: only npm and apt.
#
# code-server 4.100.3 (VS Code 1.100.3) is the newest release that runs on
# Node 20. Its npm postinstall needs three workarounds here (see
# docs/editors.md, "Editor end-to-end tests"): kerberos needs libkrb5-dev,
# @vscode/ripgrep downloads rg from GitHub (we copy Debian's rg instead), and
# npm only runs allow-listed install scripts, so we run them with `npm rebuild`.
#
# The install lives outside git, in $LEAKLSP_CACHE (default ~/.cache/leaklsp),
# and is reused when complete. Logs go to stderr; the last line on stdout is
# the path of the code-server executable.
set -euo pipefail

CS_VERSION=4.100.3
CACHE=${LEAKLSP_CACHE:-$HOME/.cache/leaklsp}
DIR=$CACHE/code-server-$CS_VERSION
BIN=$DIR/node_modules/.bin/code-server
STAMP=$DIR/.installed

log() { echo "install-code-server: $*" >&2; }

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  log "apt-get install ${missing[*]}"
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >&2
}

# kerberos builds against gssapi; rg replaces @vscode/ripgrep's download;
# chromium is the browser playwright-core drives; node-gyp needs a compiler.
apt_install libkrb5-dev ripgrep chromium g++ make python3

if [ -f "$STAMP" ] && [ -x "$BIN" ]; then
  echo "$BIN"
  exit 0
fi

start=$(date +%s)
log "installing code-server@$CS_VERSION into $DIR (takes ~5 min the first time)"
rm -rf "$DIR"
mkdir -p "$DIR"
export npm_config_yes=true npm_config_audit=false npm_config_fund=false
# node-gyp must build against the installed Node headers instead of
# downloading them from nodejs.org.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
# Root installs need unsafe-perm: npm 11 warns about the flag but still
# exports npm_config_unsafe_perm, which code-server's postinstall checks.
export npm_config_unsafe_perm=true

npm install --prefix "$DIR" --ignore-scripts --no-save "code-server@$CS_VERSION" >&2

VS=$DIR/node_modules/code-server/lib/vscode
(
  cd "$VS"
  npm install --unsafe-perm --omit=dev --ignore-scripts >&2
  # @vscode/ripgrep's postinstall skips the GitHub download when bin/ exists.
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm rebuild --unsafe-perm >&2            # native modules: spdlog, node-pty, kerberos, ...
  # The remaining steps of code-server's own postinstall.sh.
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
  (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
  (cd extensions && npm install --unsafe-perm --omit=dev >&2)
)
(cd "$DIR" && npm rebuild argon2 --unsafe-perm >&2)

# --version writes a config file; point it at a throwaway one.
"$BIN" --config "$DIR/probe-config.yaml" --version >&2
touch "$STAMP"
log "done in $(( $(date +%s) - start ))s; $(du -sh "$DIR" | cut -f1) in $DIR"
echo "$BIN"
