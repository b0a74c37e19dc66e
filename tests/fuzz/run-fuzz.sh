#!/usr/bin/env bash
# run-fuzz.sh TARGET BINARY: runs a libFuzzer target of tests/fuzz/ for
# KS_FUZZ_SECONDS (default 60), from seeds made of the real documents and
# queries, after every input that once crashed it (regressions/TARGET/).
# Fails on any crash, leak, sanitizer report or hang; the input that did it is
# kept in KS_FUZZ_ARTIFACTS (default: the current directory) and shown.
# Ends with one line: "fuzz-TARGET: N executions in S s, C crashes".
#
# Environment (meson sets it): KS_INDEX (kommunesoeg-index), KS_CORPUS,
# KS_WEB, KS_QUERIES (one query a line), KS_REGRESSIONS.
set -euo pipefail
target=$1 bin=$2
seconds=${KS_FUZZ_SECONDS:-60}
artifacts=${KS_FUZZ_ARTIFACTS:-$PWD}
mkdir -p "$artifacts"
artifacts=$(cd "$artifacts" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ks-fuzz-$target.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/seeds" "$tmp/work"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1

case $target in
parse)
  cp "$KS_CORPUS"/* "$tmp/seeds/"
  # Each seed's first byte picks the file name it is parsed as (fuzz-parse.c).
  max_len=65536
  ;;
query|route)
  # A real index of the corpus and a --web with a link that leads out of it.
  "$KS_INDEX" --quiet --db "$tmp/index" "$KS_CORPUS"
  cp -r "$KS_WEB" "$tmp/web"
  echo "ks-outside-secret" > "$tmp/secret.txt"
  ln -s ../secret.txt "$tmp/web/leak.txt"
  ln -s .. "$tmp/web/outside"
  export KS_FUZZ_DB="$tmp/index" KS_FUZZ_WEB="$tmp/web"
  python3 - "$target" "$KS_QUERIES" "$tmp/seeds" <<'PY'
import sys, urllib.parse
target, queries, out = sys.argv[1:]
qs = [l.strip() for l in open(queries, encoding="utf-8") if l.strip()]
enc = lambda s: urllib.parse.quote(s, safe="")
sets = [f"q={enc(q)}" for q in qs]
sets += [f"q={enc(q)}&page=2&per_page=5" for q in qs[:20]]
sets += ["", "q=&type=punkt&sort=date_desc", "q=&type=budget&sort=date_asc",
         "q=hjem*&format=csv", "q=&from=2025-01-01&to=2025-06-30&lukket=false",
         "q=&sag=25-002452", "q=&udvalg=Direktionen&beslutning=Anbefales",
         "q=titel:strategi+OR+%22ny+leder%22&per_page=100&page=1",
         "q=%C3%A5r:2024+-budget&lukket=true", "q=25-002103",
         "q=x&page=501&per_page=20", "q=%ff&type=x", "per_page=0"]
if target == "query":
    sets += ["!" + s for s in sets[:40]]
else:
    paths = ["/", "/healthz", "/opensearch.xml", "/api/sag/25-002452",
             "/api/item/direktionen-2025-11-17-3", "/api/item/direktionen-2025-11-17-2",
             "/sag/25-002103", "/sag/21-046835K", "/item/direktionen-2025-08-18-5",
             "/style.css", "/index.html", "/leak.txt", "/outside/secret.txt",
             "/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%00",
             "/a\\..\\secret.txt", "/.hidden", "/api/search", "/feed"]
    sets = paths + ["/api/search?" + s for s in sets[:60]] + ["/feed?" + s for s in sets[:20]]
for i, s in enumerate(sets):
    with open(f"{out}/seed-{i:04d}", "w", encoding="utf-8") as f:
        f.write(s)
PY
  max_len=2048
  ;;
*)
  echo "run-fuzz: unknown target $target" >&2
  exit 2
  ;;
esac

# The inputs that once crashed it: each must now pass.
regressions=()
if [ -d "$KS_REGRESSIONS/$target" ]; then
  for f in "$KS_REGRESSIONS/$target"/*; do
    [ -f "$f" ] && regressions+=("$f")
  done
fi
if [ ${#regressions[@]} -gt 0 ]; then
  if ! "$bin" "${regressions[@]}" >"$tmp/regressions.log" 2>&1; then
    echo "run-fuzz: fuzz-$target fails on an input of regressions/$target:" >&2
    tail -60 "$tmp/regressions.log" >&2
    exit 1
  fi
  echo "fuzz-$target: ${#regressions[@]} regression inputs pass"
fi

status=0
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
  -print_final_stats=1 -artifact_prefix="$artifacts/fuzz-$target-" \
  "$tmp/work" "$tmp/seeds" >"$tmp/fuzz.log" 2>&1 || status=$?
execs=$(awk '/stat::number_of_executed_units:/ {print $2}' "$tmp/fuzz.log")
time=$(awk '/stat::average_exec_per_sec:/ {print $2}' "$tmp/fuzz.log")
crashes=0
if [ "$status" -ne 0 ]; then
  crashes=1
  echo "run-fuzz: fuzz-$target failed (status $status):" >&2
  grep -v '^#[0-9]' "$tmp/fuzz.log" | tail -80 >&2
  for f in "$artifacts"/fuzz-"$target"-*; do
    [ -f "$f" ] || continue
    echo "run-fuzz: the input, kept as $f (add it to tests/fuzz/regressions/$target/):" >&2
    od -A d -c "$f" | head -20 >&2
  done
fi
echo "fuzz-$target: ${execs:-0} executions in $seconds s (${time:-0}/s), $crashes crashes," \
  "corpus $(ls "$tmp/work" | wc -l) inputs"
# libFuzzer exits 77 on a crash, which meson would take for a skipped test.
[ "$status" -eq 0 ] || exit 1
