#!/usr/bin/env bash
# Installs Debian packages the tests need, and nothing else: packages that
# are already installed are left alone (no upgrade), recommends are not
# pulled in, and if installing would upgrade any installed package (a
# newer libc, systemd, ... that a new package depends on) it stops and
# says so instead. `apt-get update` runs only when a package is unknown to
# the local lists.
#
#   bash scripts/apt-install.sh "why they are needed" PKG[=VERSION]...
#
# Not root: uses sudo if there is one, else says what to install. Logs go
# to stderr. LEAKLSP_APT_ALLOW_UPGRADE=1 lets apt upgrade what it must.
set -euo pipefail
why=${1:?usage: apt-install.sh WHY PKG...}
shift
me="apt-install"

missing=()
for spec in "$@"; do
  pkg=${spec%%=*}
  want=${spec#"$pkg"}; want=${want#=}
  have=$(dpkg-query -W -f='${Status} ${Version}' "$pkg" 2>/dev/null || true)
  case "$have" in
    "install ok installed $want"*) ;;   # installed (at the wanted version, if one is given)
    "install ok installed "*) [ -n "$want" ] && echo "$me: $pkg ${have##* } is installed (wanted $want); keeping it" >&2 ;;
    *) missing+=("$spec") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

# One apt at a time: the test lanes may both need packages, and apt-get
# update takes its lists lock without waiting.
exec 9>"${TMPDIR:-/tmp}/leaklsp-apt.lock"
flock 9

if ! command -v apt-get >/dev/null 2>&1; then
  echo "$me: need ${missing[*]} ($why), and this is not a Debian/Ubuntu system: install them with your package manager" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" != 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "$me: need ${missing[*]} ($why); not root and no sudo here." >&2
    echo "$me: as root run: apt-get install --no-upgrade --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  sudo=(sudo)
fi
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -q)

# Update the package lists only if one of the packages has no candidate.
for spec in "${missing[@]}"; do
  if ! apt-cache show "${spec}" >/dev/null 2>&1; then
    echo "$me: ${spec} not in the package lists: apt-get update" >&2
    "${apt[@]}" update >&2
    break
  fi
done

opts=(--no-upgrade --no-install-recommends)
plan=$(LC_ALL=C apt-get -s "${opts[@]}" install "${missing[@]}" 2>&1) || { echo "$plan" >&2; echo "$me: apt-get cannot install ${missing[*]}" >&2; exit 1; }
# "Inst pkg [old] (new ...)" is an upgrade of an installed package.
upgrades=$(echo "$plan" | awk '/^Inst [^ ]+ \[/ {print $2}' | tr '\n' ' ')
if [ -n "$upgrades" ] && [ "${LEAKLSP_APT_ALLOW_UPGRADE:-}" != 1 ]; then
  echo "$me: installing ${missing[*]} ($why) would upgrade installed packages: $upgrades" >&2
  echo "$me: not doing that; install them yourself, or rerun with LEAKLSP_APT_ALLOW_UPGRADE=1" >&2
  exit 1
fi
echo "$me: apt-get install ${missing[*]} ($why)" >&2
"${apt[@]}" "${opts[@]}" install "${missing[@]}" >&2
