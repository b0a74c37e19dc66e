#!/usr/bin/env bash
# Sets up and runs every test: the whole suite in a normal build, the quick
# suite in a release build, the whole suite again in a
# build with AddressSanitizer + UndefinedBehaviorSanitizer, the libFuzzer
# targets for 60 s each (a clang build), and the C unit tests under
# valgrind.  Ends with one line "N passed, N failed" (", N
# skipped" when some were) and a non-zero status when anything failed, when a
# build or a meson run failed, or when no test ran at all.
set -uo pipefail
cd "$(dirname "$0")/.."

tools/setup-debian.sh --tests && tools/setup-browser.sh || { echo "0 passed, 1 failed"; exit 1; }

passed=0 failed=0 skipped=0 broken=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# count: adds the counts of meson's summary in $log to the totals.
count() {
  local ok fail xfail xpass timeout skip
  ok=$(awk '/^Ok:/ {print $2}' "$log"); fail=$(awk '/^Fail:/ {print $2}' "$log")
  xfail=$(awk '/^Expected Fail:/ {print $3}' "$log"); xpass=$(awk '/^Unexpected Pass:/ {print $3}' "$log")
  timeout=$(awk '/^Timeout:/ {print $2}' "$log"); skip=$(awk '/^Skipped:/ {print $2}' "$log")
  if [ -z "$ok" ]; then
    echo "run-all: no meson summary in this run" >&2
    broken=1
    return
  fi
  passed=$((passed + ok + ${xfail:-0}))
  failed=$((failed + ${fail:-0} + ${xpass:-0} + ${timeout:-0}))
  skipped=$((skipped + ${skip:-0}))
}

# setup DIR ARGS...: a fresh, built build directory (wiped when it exists).
setup() {
  local dir=$1; shift
  local wipe=()
  [ -d "$dir/meson-private" ] && wipe=(--wipe)
  if ! meson setup "${wipe[@]}" "$dir" "$@" >"$log" 2>&1; then
    echo "run-all: meson setup $dir failed" >&2
    tail -30 "$log" >&2
    broken=1
    return 1
  fi
  if ! ninja -C "$dir" >"$log" 2>&1; then
    echo "run-all: building $dir failed" >&2
    tail -40 "$log" >&2
    broken=1
    return 1
  fi
}

# run TITLE DIR MESON-TEST-ARGS...: one meson test run, counted.
run() {
  local title=$1 dir=$2 status; shift 2
  echo "== $title"
  meson test -C "$dir" --print-errorlogs "$@" 2>&1 | tee "$log" |
    grep -E '^ *[0-9]+/[0-9]+ |^(Ok|Fail|Expected Fail|Unexpected Pass|Skipped|Timeout):'
  status=${PIPESTATUS[0]}
  count
  if [ "$status" -ne 0 ]; then
    # The filter above hides the error logs: show the whole run.
    echo "run-all: meson test ($title) exited with status $status; its output:" >&2
    sed 's/^/  | /' "$log" >&2
    broken=1
  fi
}

built=0
if setup build-test; then
  built=1
  run "tests" build-test
fi

# The release build (-O3) that bench/run.sh measures: the optimizer sees
# across inlined calls and warns of what a debug build does not (-Werror
# makes it an error), so it is built here, and its quick suite run.
if setup build-release --buildtype=release; then
  run "quick tests in the release build" build-release --suite quick
fi

# valgrind cannot run a sanitized binary, so the valgrind suite stays out here.
# The saturation run is 20 s here (60 s in build-test): under ASan it looks
# for memory errors under load, not at memory use.
if setup build-asan -Db_sanitize=address,undefined -Db_lundef=false; then
  KS_LOAD_SECONDS=20 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    run "tests under ASan+UBSan" build-asan --no-suite valgrind
fi

# The fuzzers (tests/fuzz/), 60 s each, in a clang build of their own with
# ASan+UBSan and libFuzzer's coverage.
if setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
    --native-file tests/fuzz/clang.ini; then
  KS_FUZZ_ARTIFACTS="$PWD/build-fuzz/artifacts" run "fuzzers" build-fuzz --suite fuzz \
    --num-processes 3
fi

if [ "$built" = 1 ]; then
  run "unit tests under valgrind" build-test --suite unit \
    --wrap='valgrind --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect -q' \
    --timeout-multiplier=10
fi

# A broken build or meson run with no failed test of its own still fails.
[ "$broken" = 0 ] || [ "$failed" -gt 0 ] || failed=1
[ $((passed + failed)) -gt 0 ] || failed=1
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ] && [ "$broken" = 0 ]
