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

meson setup build-bench --buildtype=release >/dev/null 2>&1 || meson setup --reconfigure build-bench >/dev/null
ninja -C build-bench >/dev/null
index=build-bench/indexer/kommunesoeg-index
dbcheck=build-bench/tests/ks-dbcheck

if [ ! -d "$generated" ]; then
  mkdir -p "$corpora"
  python3 "$gencorpus" --meetings "$meetings" --seed 1 --out "$generated.tmp" > "$generated.log"
  mv "$generated.tmp" "$generated"
fi
echo "corpus: $(cat "$generated.log" 2>/dev/null)"

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
