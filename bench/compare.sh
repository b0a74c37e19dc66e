#!/usr/bin/env bash
# bench/compare.sh — two builds head to head on one corpus, for an issue that
# says what may not get slower ("indexing rate and search p50/p99 may not get
# worse by more than 5 %"):
#
#   bench/compare.sh OLD_BIN NEW_BIN CORPUS [ROUNDS]
#
# OLD_BIN and NEW_BIN are directories that hold a kommunesoeg-index and a
# kommunesoeg-server (release builds: `meson setup B --buildtype=release &&
# ninja -C B`, then B/indexer and B/server; or copies of the two in one
# directory). CORPUS is a directory of documents (bench/gencorpus.py makes
# one). Each round indexes CORPUS into a fresh index with each build (default
# flags) and then serves each build's own index at one client with wrk
# (bench/queries.lua over bench/queries.txt, DURATION seconds, default 10,
# after a 3 s warm-up). The two builds take turns going first, round by
# round: on a virtual machine whichever runs second in a pair is often a few
# per cent slower, and the turns cancel that out.
#
# Printed: one line per run, then the medians of each build and their ratios
# (new / old): indexing wall and CPU seconds, search p50 and p99.  Wall time
# on a shared machine varies by ±10 % from run to run; for a change that
# should cost nothing, count instructions as well (valgrind --tool=callgrind
# on a small corpus with --jobs 1).  Needs wrk (tools/setup-debian.sh --tests).
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -ge 3 ] || { echo "usage: bench/compare.sh OLD_BIN NEW_BIN CORPUS [ROUNDS]" >&2; exit 2; }
old=$1 new=$2 corpus=$3 rounds=${4:-5} duration=${DURATION:-10}
bin_of() { # the directory holding BUILD's program NAME
  if [ -x "$1/$2" ]; then echo "$1"; elif [ -x "$1/indexer/$2" ]; then echo "$1/indexer";
  else echo "$1/server"; fi
}
for b in "$old" "$new"; do
  for p in kommunesoeg-index kommunesoeg-server; do
    [ -x "$(bin_of "$b" $p)/$p" ] || { echo "compare.sh: no $p in $b" >&2; exit 2; }
  done
done
command -v wrk >/dev/null || { echo "compare.sh: wrk is missing (tools/setup-debian.sh --tests)" >&2; exit 2; }

work=$(mktemp -d -t ks-compare.XXXXXX)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/web"

# index BUILD NAME: a fresh index of the corpus; writes "wall cpu" to
# $work/result.  (Not printed for a $(…) to read: a subshell would run the
# EXIT trap, and the server's pid must stay in this shell.)
index() {
  rm -rf "$work/idx-$2"
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$(bin_of "$1" kommunesoeg-index)/kommunesoeg-index" \
    --db "$work/idx-$2" "$corpus" >/dev/null 2>"$work/index-$2.log" || [ $? -eq 1 ]
  awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$work/time" >"$work/result"
}

# search BUILD NAME: its server on its own index at one client; writes
# "p50 p99" to $work/result.
search() {
  "$(bin_of "$1" kommunesoeg-server)/kommunesoeg-server" --db "$work/idx-$2" --web "$work/web" \
    --bind 127.0.0.1 --port 0 --threads 2 2>"$work/server-$2.log" &
  server_pid=$!
  local port= i
  for i in $(seq 100); do
    port=$(sed -nE 's|.*listening on http://[^ /]*:([0-9]+).*|\1|p' "$work/server-$2.log" | head -n1)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "compare.sh: the $2 server did not start" >&2; exit 1; }
  wrk -t1 -c1 -d3s -s bench/queries.lua "http://127.0.0.1:$port" -- bench/queries.txt >/dev/null
  wrk -t1 -c1 -d"${duration}s" --latency -s bench/queries.lua "http://127.0.0.1:$port" \
    -- bench/queries.txt | sed -nE 's/^KSBENCH .*p50_ms=([0-9.]+).* p99_ms=([0-9.]+).*/\1 \2/p' \
    >"$work/result"
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

for r in $(seq "$rounds"); do
  order="old new"
  [ $((r % 2)) -eq 0 ] && order="new old"
  for v in $order; do
    b=$old; [ "$v" = new ] && b=$new
    index "$b" "$v"
    read -r wall cpu <"$work/result"
    search "$b" "$v"
    read -r p50 p99 <"$work/result"
    echo "round $r $v: index ${wall} s wall, ${cpu} s CPU; search p50 ${p50} ms, p99 ${p99} ms" |
      tee -a "$work/runs"
  done
done

python3 - "$work/runs" <<'PY'
import re, statistics, sys
runs = {"old": [], "new": []}
for line in open(sys.argv[1]):
    m = re.match(r"round \d+ (old|new): index ([\d.]+) s wall, ([\d.]+) s CPU; search p50 ([\d.]+) ms, p99 ([\d.]+) ms", line)
    if m:
        runs[m[1]].append([float(x) for x in m.groups()[1:]])
names = ["index wall s", "index CPU s", "search p50 ms", "search p99 ms"]
for i, name in enumerate(names):
    o = statistics.median(r[i] for r in runs["old"])
    n = statistics.median(r[i] for r in runs["new"])
    print(f"{name:14} old {o:8.2f}  new {n:8.2f}  new/old {n / o:.3f}")
PY
