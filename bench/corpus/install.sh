#!/usr/bin/env bash
# Unpacks the pinned packages of packages.txt (no dependencies: the rules
# read one file at a time) into $LEAKLSP_CACHE/leak-corpus/<name>@<version>/.
# Idempotent: a package already unpacked is skipped. Prints the corpus dir.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${LEAKLSP_CACHE:-$here/../../.cache}/leak-corpus"
mkdir -p "$dir/.tgz"
while read -r spec; do
  [[ -z "$spec" || "$spec" == \#* ]] && continue
  out="$dir/${spec//\//+}"
  [[ -f "$out/.ok" ]] && continue
  tgz="$(cd "$dir/.tgz" && npm pack --silent "$spec" | tail -1)"
  rm -rf "$out" && mkdir -p "$out"
  tar -xzf "$dir/.tgz/$tgz" -C "$out" --strip-components=1
  touch "$out/.ok"
  echo "leak-corpus: $spec" >&2
done < "$here/packages.txt"
echo "$dir"
