#!/usr/bin/env bash
# Installs code-server (VS Code in the browser) plus Debian's chromium for the
# VS Code end-to-end test, without any download from GitHub: only npm and apt.
#
# code-server 4.100.3 (VS Code 1.100.3) is the newest release that runs on
# Node 20. Its npm postinstall needs workarounds here (see docs/editors.md,
# "Editor end-to-end tests"): @vscode/ripgrep downloads rg from GitHub (we
# copy Debian's rg instead); npm only runs allow-listed install scripts, so
# we run them with `npm rebuild`; and kerberos (only used for Kerberos proxy
# authentication) is left out: building it needs libkrb5-dev, whose exact
# version dependencies would upgrade the installed Kerberos libraries.
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

bash "$(dirname "$0")/apt-install.sh" \
  "VS Code e2e: Debian's rg replaces @vscode/ripgrep's GitHub download, chromium is the browser playwright-core drives, node-gyp builds native modules" \
  ripgrep chromium g++ make python3

# One install at a time per cache (parallel test runs share it); a second
# caller waits, then finds the stamp.
mkdir -p "$CACHE"
exec 8>"$CACHE/code-server-$CS_VERSION.lock"
flock 8
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
  rm -rf node_modules/kerberos             # see the top: proxy auth only, needs libkrb5-dev
  npm rebuild --unsafe-perm >&2            # native modules: spdlog, node-pty, ...
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
