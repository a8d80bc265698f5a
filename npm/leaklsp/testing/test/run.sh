#!/usr/bin/env bash
# Runs the leaklsp/testing suites under node:test, Jest, Vitest and Mocha on
# several Node versions and prints "N passed, N failed" (one unit = one
# suite run: framework × Node version × repetition). Exit 1 if any failed.
#
#   bash npm/leaklsp/testing/test/run.sh          # quick: node:test with every
#       example and the API tests on the machine's node; Jest, Vitest, Mocha
#       there and node:test on the other versions with QUICK_CASES
#       (LEAK101,LEAK120)
#   FULL=1 bash …/run.sh                          # REPS (20) × every version
#       × every framework × every example: the flake measurement
#
# LEAKLSP_BINARY_PATH picks the binary (default: go build of ./cmd/leaklsp);
# NODE_VERSIONS and FRAMEWORKS narrow the matrix; LOG_DIR keeps the failing
# outputs; each suite prints one progress line on stderr.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkg="$(cd "$here/.." && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
export LEAKLSP_CACHE="${LEAKLSP_CACHE:-$repo/.cache}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log_dir="${LOG_DIR:-$work/logs}"
mkdir -p "$log_dir"

if [[ -z "${LEAKLSP_BINARY_PATH:-}" ]]; then
  (cd "$repo" && go build -o "$work/leaklsp" ./cmd/leaklsp) || { echo "run.sh: go build failed" >&2; exit 2; }
  export LEAKLSP_BINARY_PATH="$work/leaklsp"
fi
fw="$(bash "$here/install-frameworks.sh")" || { echo "run.sh: installing the frameworks failed" >&2; exit 2; }
bin="$fw/node_modules/.bin"

versions=(${NODE_VERSIONS:-18.16.0 20.20.2 22.23.5 24.22.3 26.12.1})
main_node="$(command -v node)"
frameworks=(${FRAMEWORKS:-node jest vitest mocha})
passed=0
failed=0
suites=0

# suite FRAMEWORK NODE [CASES]: one run of one framework's suite.
suite() {
  local f="$1" node="$2" cases="${3:-}" out status name t0=$SECONDS
  name="$f-$("$node" --version)-$suites"
  suites=$((suites + 1))
  out="$log_dir/$name.log"
  local nodedir
  nodedir="$(dirname "$node")"
  case "$f" in
    node) (cd "$pkg" && PATH="$nodedir:$PATH" LEAKLSP_CASES="$cases" "$node" --test test/node/*.test.cjs) ;;
    jest) (cd "$pkg" && PATH="$nodedir:$PATH" LEAKLSP_CASES="$cases" "$node" "$bin/jest" --config test/jest/jest.config.cjs --ci --runInBand) ;;
    vitest) (cd "$pkg" && PATH="$nodedir:$PATH" LEAKLSP_CASES="$cases" "$node" "$bin/vitest" run --root "$pkg" --dir test/vitest --pool forks --no-file-parallelism) ;;
    mocha) (cd "$pkg" && PATH="$nodedir:$PATH" LEAKLSP_CASES="$cases" "$node" "$bin/mocha" 'test/mocha/*.test.cjs') ;;
  esac >"$out" 2>&1
  status=$?
  if [[ $status -eq 0 ]]; then
    passed=$((passed + 1))
    echo "ok   $name${cases:+ ($cases)} $((SECONDS - t0)) s" >&2
    rm -f "$out"
  else
    failed=$((failed + 1))
    echo "FAIL $name (exit $status), log: $out" >&2
    [[ -n "${LOG_DIR:-}" ]] || tail -40 "$out" >&2
  fi
}

node_of() { bash "$repo/scripts/install-node.sh" "$1"; }

start=$SECONDS
if [[ -x "$bin/../typescript/bin/tsc" || -x "$LEAKLSP_CACHE/tsc-5.9.3/node_modules/.bin/tsc" ]]; then
  tsc="$LEAKLSP_CACHE/tsc-5.9.3/node_modules/.bin/tsc"
  if "$tsc" --noEmit --strict --lib es2022 --target es2022 --types node "$here/types.ts" >"$log_dir/types.log" 2>&1 \
    || "$tsc" --noEmit --strict --lib es2022 --target es2022 "$here/types.ts" >"$log_dir/types.log" 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); echo "FAIL types.ts:" >&2; cat "$log_dir/types.log" >&2
  fi
fi
if [[ -n "${FULL:-}" ]]; then
  for ((rep = 0; rep < ${REPS:-20}; rep++)); do
    for v in "${versions[@]}"; do
      n="$(node_of "$v")" || { failed=$((failed + 1)); continue; }
      for f in "${frameworks[@]}"; do suite "$f" "$n"; done
    done
  done
else
  for f in "${frameworks[@]}"; do
    if [[ "$f" == node ]]; then suite node "$main_node"; else suite "$f" "$main_node" "${QUICK_CASES:-LEAK101,LEAK120}"; fi
  done
  main_version="$("$main_node" --version)"
  for v in "${versions[@]}"; do
    [[ "v$v" == "$main_version" ]] && continue
    n="$(node_of "$v")" || { failed=$((failed + 1)); continue; }
    suite node "$n" "${QUICK_CASES:-LEAK101,LEAK120}"
  done
fi
echo "leaklsp/testing: $passed passed, $failed failed ($((SECONDS - start)) s)"
[[ $failed -eq 0 ]]
