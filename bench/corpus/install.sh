#!/usr/bin/env bash
# Unpacks the pinned packages of packages.txt (no dependencies: the rules
# read one file at a time) into $LEAKLSP_CACHE/leak-corpus/<name>@<version>/.
# A line may name files after the spec (`next@14.2.3 dist/a.js dist/b.js`):
# then only those files are unpacked and the tarball is not kept, so a big
# package costs its download once and a few KB on disk.
# Idempotent: a package already unpacked is skipped. Prints the corpus dir.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${LEAKLSP_CACHE:-$here/../../.cache}/leak-corpus"
mkdir -p "$dir/.tgz"
while read -r spec files; do
  [[ -z "$spec" || "$spec" == \#* ]] && continue
  out="$dir/${spec//\//+}"
  [[ -f "$out/.ok" ]] && continue
  tgz="$(cd "$dir/.tgz" && npm pack --silent "$spec" | tail -1)"
  rm -rf "$out" && mkdir -p "$out"
  if [[ -n "$files" ]]; then
    read -r -a paths <<<"$files"
    tar -xzf "$dir/.tgz/$tgz" -C "$out" --strip-components=1 "${paths[@]/#/package/}"
    rm -f "$dir/.tgz/$tgz"
  else
    tar -xzf "$dir/.tgz/$tgz" -C "$out" --strip-components=1
  fi
  touch "$out/.ok"
  echo "leak-corpus: $spec" >&2
done < "$here/packages.txt"
echo "$dir"
