#!/usr/bin/env bash
# Indexing benchmark: times kommunesoeg-index (release build) on corpus/ and
# on a corpus of MEETINGS (default 1000) meetings from gencorpus.py, 3 runs
# each into a fresh index (median), plus a re-run with nothing changed.
#
#   bench/index.sh            MEETINGS=20000 bench/index.sh
set -euo pipefail
cd "$(dirname "$0")/.."
meetings=${MEETINGS:-1000}
runs=${RUNS:-3}
gencorpus=../shared/bench/gencorpus.py
corpora=bench/corpora
generated=$corpora/m$meetings-seed1

reconfigure=()
[ -d build-bench/meson-private ] && reconfigure=(--reconfigure)
meson setup "${reconfigure[@]}" build-bench --buildtype=release >/dev/null
ninja -C build-bench >/dev/null
index=build-bench/indexer/kommunesoeg-index
dbcheck=build-bench/tests/ks-dbcheck

if [ ! -d "$generated" ]; then
  mkdir -p "$corpora"
  rm -rf "$generated.tmp"
  python3 "$gencorpus" --meetings "$meetings" --seed 1 --out "$generated.tmp" > "$generated.log"
  mv "$generated.tmp" "$generated"
fi
# gencorpus says "... N meetings with X agenda items (Y closed), B budget files
# with S sections ..."; the index should then hold X + S records.
gen_line=$(cat "$generated.log" 2>/dev/null || true)
echo "corpus: $gen_line"
expected=$(sed -nE 's/.* with ([0-9]+) agenda items.* with ([0-9]+) sections.*/\1 \2/p' <<<"$gen_line" |
  awk '{print $1 + $2}')
echo "expected records in m$meetings: ${expected:-unknown} (agenda items + budget sections)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# timed CMD...: "SECONDS MAX_RSS_MB" of one run (python3: no time(1) needed).
timed() {
  python3 -c '
import resource, subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], check=True)
dt = time.monotonic() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{dt:.3f} {rss:.0f}")' "$@"
}

# bench NAME PATH: records, median seconds, records/s, memory, re-run, size.
bench() {
  local name=$1 path=$2 times=() t
  for _ in $(seq "$runs"); do
    rm -rf "$tmp/index"
    times+=("$(timed "$index" --quiet --db "$tmp/index" "$path")")
  done
  local records rerun
  records=$("$dbcheck" "$tmp/index" count)
  rerun=$(timed "$index" --quiet --db "$tmp/index" "$path")
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$runs" -v name="$name" -v records="$records" \
    -v rerun="${rerun%% *}" -v size="$(du -sh "$tmp/index" | cut -f1)" \
    'NR == int((n + 1) / 2) {
       printf "%-12s %7d records  %7.2f s  %6.0f records/s  max RSS %5d MB  unchanged re-run %.2f s  index %s\n",
              name, records, $1, records / $1, $2, rerun, size }'
}

bench corpus corpus/
bench "m$meetings" "$generated"
