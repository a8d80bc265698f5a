#!/usr/bin/env bash
# Runs the leaklsp/testing suites under node:test, Jest, Vitest and Mocha on
# several Node versions and prints "N passed, N failed" (one unit = one
# suite run: framework × Node version × repetition). Exit 1 if any failed.
#
#   bash npm/leaklsp/testing/test/run.sh          # CI: on the machine's node,
#       node:test with every example and API test, Jest, Vitest and Mocha
#       with QUICK_CASES (LEAK120); node:test on the other versions with
#       QUICK_CASES_VERSIONS (LEAK101: timers and AsyncLocalStorage, whose
#       implementation changed in Node 24) and the API tests that depend
#       on the version (LEAKLSP_QUICK=1)
#   FULL=1 REPS=20 bash …/run.sh                  # REPS × every version ×
#       every framework × every example (flakes.sh prints it per framework)
#
# LEAKLSP_BINARY_PATH picks the binary (default: go build of ./cmd/leaklsp);
# NODE_VERSIONS and FRAMEWORKS narrow the matrix; JOBS suite runs at once
# (default: the number of CPUs, at most 4); LOG_DIR keeps the failing
# outputs; each suite prints one progress line on stderr.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkg="$(cd "$here/.." && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
export LEAKLSP_CACHE="${LEAKLSP_CACHE:-$repo/.cache}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log_dir="${LOG_DIR:-$work/logs}"
status_dir="$work/status"
mkdir -p "$log_dir" "$status_dir"

if [[ -z "${LEAKLSP_BINARY_PATH:-}" ]]; then
  (cd "$repo" && go build -o "$work/leaklsp" ./cmd/leaklsp) || { echo "run.sh: go build failed" >&2; exit 2; }
  export LEAKLSP_BINARY_PATH="$work/leaklsp"
fi
fw="$(bash "$here/install-frameworks.sh")" || { echo "run.sh: installing the frameworks failed" >&2; exit 2; }
bin="$fw/node_modules/.bin"

versions=(${NODE_VERSIONS:-18.16.0 20.20.2 22.23.5 24.22.3 26.12.1})
main_node="$(command -v node)"
frameworks=(${FRAMEWORKS:-node jest vitest mocha})
cpus="$(nproc 2>/dev/null || echo 2)"
jobs_max="${JOBS:-$((cpus < 4 ? cpus : 4))}"
suites=0

# suite FRAMEWORK NODE CASES QUICK FILES: one run of one framework's suite;
# its status goes to $status_dir (the runs go in parallel). CASES selects
# examples (empty: all), QUICK=1 the version-dependent API tests, FILES the
# node:test files.
suite() {
  local f="$1" node="$2" cases="$3" quick="$4" files="$5" out status name version t0=$SECONDS
  version="$("$node" --version)"
  name="$f-$version-$6"
  out="$log_dir/$name.log"
  local nodedir
  nodedir="$(dirname "$node")"
  export PATH="$nodedir:$PATH" LEAKLSP_CASES="$cases" LEAKLSP_QUICK="$quick"
  case "$f" in
    node) (cd "$pkg" && "$node" --test $files) ;;
    jest) (cd "$pkg" && "$node" "$bin/jest" --config test/jest/jest.config.cjs --ci --runInBand) ;;
    vitest) (cd "$pkg" && "$node" "$bin/vitest" run --root "$pkg" --dir test/vitest --pool forks --no-file-parallelism) ;;
    mocha) (cd "$pkg" && "$node" "$bin/mocha" 'test/mocha/*.test.cjs') ;;
  esac >"$out" 2>&1
  status=$?
  echo "$f/$version $status" >"$status_dir/$name"
  if [[ $status -eq 0 ]]; then
    echo "ok   $name${cases:+ ($cases)} $((SECONDS - t0)) s" >&2
    rm -f "$out"
  else
    echo "FAIL $name (exit $status), log: $out" >&2
    [[ -n "${LOG_DIR:-}" ]] || tail -40 "$out" >&2
  fi
}

# start runs suite in the background, at most jobs_max at once.
start() {
  while [[ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]]; do wait -n; done
  suites=$((suites + 1))
  suite "$@" "$suites" &
}

node_of() { bash "$repo/scripts/install-node.sh" "$1"; }

t_start=$SECONDS
typecheck() {
  local tsc="$LEAKLSP_CACHE/tsc-5.9.3/node_modules/.bin/tsc"
  [[ -x "$tsc" ]] || return 0
  # With Node's types where tsc finds them from here (node_modules/@types/node
  # here or in a parent folder); trying them where there are none costs a failing run.
  local types=() d="$here"
  while [[ "$d" != / ]]; do
    [[ -d "$d/node_modules/@types/node" ]] && { types=(--types node); break; }
    d="$(dirname "$d")"
  done
  if (cd "$here" && "$tsc" --noEmit --strict --lib es2022 --target es2022 "${types[@]}" types.ts) >"$log_dir/types.log" 2>&1; then
    echo "types 0" >"$status_dir/types"
  else
    echo "types 1" >"$status_dir/types"
    echo "FAIL types.ts:" >&2; cat "$log_dir/types.log" >&2
  fi
}
typecheck &
all_files="test/node/examples.test.cjs test/node/api.test.cjs test/node/inspector.test.cjs test/node/sampler.test.cjs"
if [[ -n "${FULL:-}" ]]; then
  for ((rep = 0; rep < ${REPS:-20}; rep++)); do
    for v in "${versions[@]}"; do
      n="$(node_of "$v")" || { echo "node-$v 1" >"$status_dir/install-$v"; continue; }
      for f in "${frameworks[@]}"; do start "$f" "$n" "" "" "${FULL_FILES:-$all_files}"; done
    done
  done
else
  main_version="$("$main_node" --version)"
  for f in "${frameworks[@]}"; do
    if [[ "$f" == node ]]; then start node "$main_node" "" "" "$all_files"; else start "$f" "$main_node" "${QUICK_CASES:-LEAK120}" "" ""; fi
  done
  for v in "${versions[@]}"; do
    [[ "v$v" == "$main_version" ]] && continue
    n="$(node_of "$v")" || { echo "node-$v 1" >"$status_dir/install-$v"; continue; }
    [[ " ${frameworks[*]} " == *" node "* ]] && start node "$n" "${QUICK_CASES_VERSIONS:-LEAK101}" 1 "$all_files"
  done
fi
wait
passed=0
failed=0
declare -A fails runs
for s in "$status_dir"/*; do
  [[ -f "$s" ]] || continue
  read -r what code <"$s"
  runs[$what]=$((${runs[$what]:-0} + 1))
  if [[ "$code" == 0 ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fails[$what]=$((${fails[$what]:-0} + 1)); fi
done
for what in $(printf '%s\n' "${!runs[@]}" | sort); do
  echo "leaklsp/testing: $what: ${fails[$what]:-0} failed of ${runs[$what]}"
done
echo "leaklsp/testing: $passed passed, $failed failed ($((SECONDS - t_start)) s)"
[[ $failed -eq 0 ]]
