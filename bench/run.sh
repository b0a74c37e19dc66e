#!/usr/bin/env bash
# The benchmark of issues 6 and 18, one command from a clean checkout:
#
#   bench/run.sh           corpora of 1,000 and 20,000 meetings (~12k and ~245k records)
#   bench/run.sh --quick   1,000 meetings only, to try it out
#   bench/run.sh --long    1,000, 20,000 and 85,000 meetings (~1M records)
#
# For each corpus (bench/gencorpus.py --seed 1, into bench/corpora/mN-seed1-v2,
# reused when present; v2: the project's own generator, whose corpora differ
# from those of the generator the figures before issue 16 were measured on):
#  1. indexing: kommunesoeg-index (release build, --jobs 2: two cores) into a
#     fresh index — records/s, MB/s of text, index size, peak RSS, CPU time;
#     the reference bench/ref-index (plain Xapian, one thread) on the same
#     records (from --dump), and our figures as ratios to it; what each index
#     holds per document (bench/index-stats: distinct terms, positions, size
#     on disk); --dump alone (parsing and repair) as a share of the indexing
#     CPU time; a re-run with nothing changed and one with one file changed
#     (incremental);
#  2. search: the references bench/ref-plain (a plain in-process Xapian
#     program over ref-index's plain index: parse, top 20 with snippets, four
#     facets counted exactly — the one issue 18 holds us to) and
#     bench/ref-xapian (in-process plain Xapian doing a request's work on our
#     index); kommunesoeg-server --threads 2 with wrk (bench/queries.lua) at 1
#     client and at saturation: p50/p95/p99, req/s, server RSS, as ratios to
#     the references; bench/facet-error: the estimated facet counts against
#     the exact ones, at KS_FACETS_EXACT and at FACET_BOUND (a smaller bound,
#     simulating on a small corpus what the default does on a large one);
#  3. PostgreSQL full-text search on the same records and queries (initdb in a
#     temporary directory, loopback, removed at the end): build rate, ts_rank
#     top 20 and with ts_headline at 1 client, throughput at saturation
#     (pgbench);
#  4. 2 shards (corpora of at most SHARD_MEETINGS meetings): kommunesoeg-index
#     --shards 2, two xapian-tcpsrv on loopback, the server over both:
#     1-client latency.
# Then rewrites the part of bench/RESULTS.md between <!-- bench:begin --> and
# <!-- bench:end --> (bench/report.py), keeping the text around it.
#
# Settings (environment): DURATION (seconds per measured run, default and at
# most 20), WARMUP (default 5), ROUNDS (ref-plain's and ref-xapian's rounds
# over the queries, default 3), FACET_BOUND (default 1000), RESULTS (default bench/RESULTS.md), SHARD_MEETINGS (the largest
# corpus measured over 2 shards, default 1000), MEETINGS (the corpora, in
# meetings, instead of the mode's: MEETINGS=85000 RESULTS=/tmp/1m.md
# bench/run.sh measures the million records alone, in about an hour and a
# half).
# Installs what is missing with apt-get: the build's packages
# (tools/setup-debian.sh --tests; wrk, xapian-tools among them) and postgresql (a
# benchmark dependency only).  Everything it starts (servers, xapian-tcpsrv,
# PostgreSQL) is stopped on exit, and its working files (bench/data/run,
# a temporary directory) are removed.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: bench/run.sh [--quick | --long]" >&2
  exit 2
}
mode=default
meetings_list=(1000 20000)
case $# in
  0) ;;
  1) case $1 in
       --quick) mode=quick; meetings_list=(1000) ;;
       --long) mode=long; meetings_list=(1000 20000 85000) ;;
       *) usage ;;
     esac ;;
  *) usage ;;
esac

if [ -n "${MEETINGS:-}" ]; then
  read -r -a meetings_list <<<"$MEETINGS"
  for m in "${meetings_list[@]}"; do
    [[ $m =~ ^[1-9][0-9]*$ ]] || {
      echo "run.sh: MEETINGS is a list of numbers of meetings, not '$MEETINGS'" >&2
      exit 2
    }
  done
  [ "${#meetings_list[@]}" -gt 0 ] || usage
fi
duration=${DURATION:-20}
warmup=${WARMUP:-5}
rounds=${ROUNDS:-3}
shard_meetings=${SHARD_MEETINGS:-1000}
facet_bound=${FACET_BOUND:-1000}
results_md=${RESULTS:-bench/RESULTS.md}
sat_threads=2
sat_conns=16
server_threads=2
queries=bench/queries.txt
gencorpus=bench/gencorpus.py
corpora=bench/corpora
build=build-bench
index=$build/indexer/kommunesoeg-index
server=$build/server/kommunesoeg-server
dbcheck=$build/tests/tools/ks-dbcheck
ref_index=$build/bench/ref-index
ref_xapian=$build/bench/ref-xapian
ref_plain=$build/bench/ref-plain
index_stats=$build/bench/index-stats
facet_error=$build/bench/facet-error
host=127.0.0.1

log() { echo "run.sh: $*" >&2; }
die() {
  echo "run.sh: FAILED: $*" >&2
  exit 1
}
trap 'echo "run.sh: FAILED at line $LINENO: $BASH_COMMAND (exit $?)" >&2' ERR
[[ $duration =~ ^[0-9]+$ && $duration -ge 1 && $duration -le 20 ]] || die "DURATION is 1..20 seconds"
[[ $warmup =~ ^[0-9]+$ && $warmup -le 20 ]] || die "WARMUP is 0..20 seconds"
[[ $rounds =~ ^[0-9]+$ && $rounds -ge 1 ]] || die "ROUNDS is a number ≥ 1"
[[ $facet_bound =~ ^[1-9][0-9]*$ ]] || die "FACET_BOUND is a number of matches ≥ 1"
started=$(date +%s)

# --- working files and everything started, cleaned up on any exit.
work=$PWD/bench/data/run
mkdir -p bench/data
# One run at a time: a second would remove the first one's working files.
exec 9>bench/data/run.lock
flock -n 9 || die "another bench/run.sh is running (bench/data/run.lock)"
rm -rf "$work"
mkdir -p "$work"
results=$work/results.txt   # "key value" lines, rendered by bench/report.py
commands=$work/commands.txt # every command measured, as run
: >"$results"
: >"$commands"
pgtmp=
pg_bin=
pg_port=
server_pid=
tcpsrv_pids=()

stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}
stop_tcpsrv() {
  local p
  for p in "${tcpsrv_pids[@]}"; do
    # Each runs in its own process group (it signals its group on SIGTERM).
    kill -TERM -- "-$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  tcpsrv_pids=()
}
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop_pg() {
  [ -n "$pgtmp" ] || return 0
  if [ -f "$pgtmp/data/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pgtmp/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$pgtmp"
  pgtmp=
}
cleanup() {
  stop_server
  stop_tcpsrv
  stop_pg
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# note KEY VALUE: one result.
note() { printf '%s %s\n' "$1" "$2" >>"$results"; }
# cmdlog TEXT: a command for the report.
cmdlog() { printf '%s\n' "$*" >>"$commands"; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }
load_sample() { note "load.$1" "$(loadavg)"; }

# measure CMD...: runs CMD (its stdout passes through) and sets m_wall,
# m_cpu (user + system seconds) and m_rss (peak RSS, MB); fails with CMD.
measure() {
  cmdlog "$*"
  python3 -c '
import resource, subprocess, sys, time
t = time.monotonic()
rc = subprocess.run(sys.argv[2:]).returncode
wall = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    print(f"{wall:.3f} {r.ru_utime + r.ru_stime:.3f} {r.ru_maxrss / 1024:.1f}", file=f)
sys.exit(rc)' "$work/measure" "$@" || die "$1 failed (exit $?): $*"
  read -r m_wall m_cpu m_rss <"$work/measure"
}

# note_pairs PREFIX LINE: notes each "key value" pair of LINE as PREFIX.key.
note_pairs() {
  local prefix=$1 k v
  set -- $2
  while [ $# -ge 2 ]; do
    k=$1 v=$2
    shift 2
    note "$prefix.$k" "$v"
  done
}

# --- tools and the release build.
log "mode $mode: ${meetings_list[*]} meetings; checking packages"
tools/setup-debian.sh --tests
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ] || [ ! -x "$pg_bin/pgbench" ]; then
  log "installing postgresql (the benchmark's reference (b) only)"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
fi
[ "$(id -u)" -ne 0 ] || id postgres >/dev/null 2>&1 || die "running as root, but there is no postgres user to run PostgreSQL as"
tcpsrv=$(command -v xapian-tcpsrv) || die "xapian-tcpsrv missing (Debian's xapian-tools)"

log "building $build (release)"
if [ -d "$build/meson-private" ]; then
  meson setup --reconfigure "$build" --buildtype=release >/dev/null
else
  meson setup "$build" --buildtype=release >/dev/null
fi
ninja -C "$build" >/dev/null || die "the build failed (ninja -C $build)"
for b in "$index" "$server" "$dbcheck" "$ref_index" "$ref_xapian" "$ref_plain" "$index_stats" "$facet_error"; do
  [ -x "$b" ] || die "$b was not built"
done
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- lib indexer server bench meson.build 2>/dev/null || commit="$commit + uncommitted changes"

# --- the machine.
note machine.cpu "$(sed -nE 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n1)"
note machine.cores "$(nproc)"
note machine.ram "$(free -g | awk '/^Mem:/ { print $2 " GB" }')"
note machine.kernel "Linux $(uname -r)"
note machine.os "$(. /etc/os-release && echo "$PRETTY_NAME")"
note version.xapian "$(xapian-config --version 2>/dev/null | sed 's/.* //' || echo unknown)"
note version.pg "$("$pg_bin/postgres" --version | sed -E 's/.*\(PostgreSQL\) ([^ ]+).*/\1/')"
note version.wrk "$({ wrk --version 2>&1 || true; } | sed -n '1s/^wrk \([^ ]*\).*/\1/p')"
note run.commit "$commit"
note run.mode "$mode"
note run.date "$(date -u '+%Y-%m-%d %H:%M UTC')"
note run.duration "$duration"
note run.warmup "$warmup"
note run.rounds "$rounds"
note run.facet_bound "$facet_bound"
note run.queries "$(grep -c . "$queries")"
note run.corpora "${meetings_list[*]}"
load_sample start

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- the server and wrk.

# start_server DB...: the release server over the DBs (each --db), on a
# free loopback port; sets server_pid and url, and waits for /healthz.
start_server() {
  local args=() d p=
  for d in "$@"; do args+=(--db "$d"); done
  cmdlog "$server ${args[*]} --bind $host --port 0 --threads $server_threads 2>server.log &"
  : >"$work/server.log"
  "$server" "${args[@]}" --bind "$host" --port 0 --threads "$server_threads" 2>"$work/server.log" &
  server_pid=$!
  for _ in $(seq 600); do # up to 60 s to open the index and listen
    p=$(sed -nE 's|.*listening on http://[^ /]*:([0-9]+).*|\1|p' "$work/server.log" | head -n1)
    [ -n "$p" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$p" ] || {
    tail -n 20 "$work/server.log" >&2
    die "the server did not start (its log above)"
  }
  url="http://$host:$p"
  for _ in $(seq 300); do
    curl -fsS --max-time 2 -o /dev/null "$url/healthz" 2>/dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  tail -n 20 "$work/server.log" >&2
  die "GET /healthz never answered 200"
}

# sanity KEY: every query once, one at a time (also a first warm-up); fails
# unless every answer is a 200 with JSON.
sanity() {
  python3 - "$url" "$queries" "$work/sanity" <<'EOF' || die "the sanity pass over the queries failed"
import json, sys, urllib.error, urllib.parse, urllib.request
url, qfile, out = sys.argv[1:4]
qs = [l.rstrip("\r\n") for l in open(qfile, encoding="utf-8") if l.strip()]
zero, bad = 0, []
for q in qs:
    try:
        with urllib.request.urlopen(f"{url}/api/search?q={urllib.parse.quote(q, safe='')}", timeout=60) as r:
            zero += json.loads(r.read()).get("total", 0) == 0
    except (urllib.error.HTTPError, ValueError) as e:
        bad.append(f"{q!r}: {e}")
for b in bad[:5]:
    print(f"run.sh: not a 200 with JSON: {b}", file=sys.stderr)
open(out, "w").write(f"{len(qs)} {zero}\n")
sys.exit(1 if bad else 0)
EOF
  local n z
  read -r n z <"$work/sanity"
  note "$1.without_hits" "$z"
}

vm() { awk -v k="$1:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status"; }
machine_cpu() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t; exit }' /proc/stat; }
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }

# wrk_run KEY THREADS CONNECTIONS SECONDS: one wrk run against $url; notes
# KEY.{requests,rps,p50,p95,p99,max,errors,rss,hwm,busy,other}.
wrk_run() {
  local key=$1 t=$2 c=$3 d=$4 out=$work/wrk.txt m0 m1 s0 s1
  cmdlog "wrk -t$t -c$c -d${d}s --timeout 10s --latency -s bench/queries.lua \$URL -- $queries"
  m0=$(machine_cpu)
  s0=$(server_ticks)
  timeout $((d + 30)) wrk -t"$t" -c"$c" -d"${d}s" --timeout 10s --latency \
    -s bench/queries.lua "$url" -- "$queries" >"$out" || die "wrk failed ($key)"
  m1=$(machine_cpu)
  s1=$(server_ticks)
  kill -0 "$server_pid" 2>/dev/null || die "the server died during $key"
  local k
  k=$(grep '^KSBENCH ' "$out") || die "no KSBENCH line from wrk ($key)"
  local b_requests= b_rps= b_p50_ms= b_p95_ms= b_p99_ms= b_max_ms= b_non2xx= b_connect= b_read= b_write= b_timeout=
  eval "$(tr ' ' '\n' <<<"${k#KSBENCH }" | sed -nE 's/^(requests|rps|p50_ms|p95_ms|p99_ms|max_ms|non2xx|connect|read|write|timeout)=([0-9.]+)$/b_\1=\2/p')"
  [ "${b_requests:-0}" -gt 0 ] || die "wrk made no request ($key)"
  local errors=$((b_non2xx + b_connect + b_read + b_write + b_timeout))
  [ "$errors" -eq 0 ] || log "warning: $errors failed requests in $key (non-2xx $b_non2xx, socket $b_connect/$b_read/$b_write/$b_timeout)"
  [ "$key" = "${key%.warmup}" ] || return 0
  note "$key.requests" "$b_requests"
  note "$key.rps" "$b_rps"
  note "$key.p50" "$b_p50_ms"
  note "$key.p95" "$b_p95_ms"
  note "$key.p99" "$b_p99_ms"
  note "$key.max" "$b_max_ms"
  note "$key.errors" "$errors"
  note "$key.rss" "$(vm VmRSS)"
  note "$key.hwm" "$(vm VmHWM)"
  # How busy the machine was, and how much of that was not the server
  # (wrk itself, and anything else running).
  awk -v m0="$m0" -v m1="$m1" -v s0="$s0" -v s1="$s1" -v key="$key" 'BEGIN {
    split(m0, x, " "); split(m1, y, " "); total = y[2] - x[2]; busy = y[1] - x[1]
    if (total > 0) printf "%s.busy %.0f\n%s.other %.0f\n", key, 100 * busy / total, key, 100 * (busy - (s1 - s0)) / total
  }' >>"$results"
}

# --- xapian-tcpsrv.

# start_tcpsrv DB: serves DB on a free loopback port; appends to tcp_urls.
start_tcpsrv() {
  local db=$1 port pid
  for _ in $(seq 10); do
    port=$(free_port)
    cmdlog "setsid $tcpsrv --interface 127.0.0.1 --port $port $db &"
    # Its own process group: on SIGTERM it signals its whole group.
    setsid "$tcpsrv" --interface 127.0.0.1 --port "$port" "$db" </dev/null >/dev/null 2>>"$work/tcpsrv.log" &
    pid=$!
    tcpsrv_pids+=("$pid")
    for _ in $(seq 200); do
      if python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()' "$port" 2>/dev/null; then
        tcp_urls+=("tcp://127.0.0.1:$port")
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -TERM -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset 'tcpsrv_pids[-1]'
  done
  cat "$work/tcpsrv.log" >&2
  die "xapian-tcpsrv did not start on $db"
}

# --- PostgreSQL.

psql_() { PGOPTIONS="-c client_min_messages=warning" "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$host" -p "$pg_port" -U postgres -d postgres "$@"; }

start_pg() {
  pgtmp=$(mktemp -d /tmp/ks-bench-pg.XXXXXX)
  [ "$(id -u)" -ne 0 ] || chown postgres: "$pgtmp"
  cmdlog "$pg_bin/initdb -D \$PGTMP/data -U postgres -A trust -E UTF8 --locale=C.UTF-8"
  as_pg "$pg_bin/initdb" -D "$pgtmp/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$pgtmp/initdb.log" 2>&1 ||
    { cat "$pgtmp/initdb.log" >&2; die "initdb failed"; }
  local opts
  for _ in $(seq 10); do
    pg_port=$(free_port)
    opts="-c listen_addresses=127.0.0.1 -p $pg_port -k $pgtmp -c shared_buffers=256MB -c maintenance_work_mem=256MB -c max_connections=50"
    cmdlog "$pg_bin/pg_ctl -D \$PGTMP/data -o '$(sed -e "s|$pgtmp|\$PGTMP|g" -e "s|-p $pg_port|-p \$PGPORT|" <<<"$opts")' -w start"
    as_pg "$pg_bin/pg_ctl" -D "$pgtmp/data" -o "$opts" -l "$pgtmp/log" -w -t 60 start >/dev/null && return 0
    grep -q "Address already in use" "$pgtmp/log" 2>/dev/null || break
  done
  tail -n 20 "$pgtmp/log" >&2
  die "PostgreSQL did not start"
}

# pgbench_run KEY SCRIPT CLIENTS SECONDS: notes KEY.{tps,p50,p95,p99,transactions}.
pgbench_run() {
  local key=$1 script=$2 c=$3 d=$4 j=1 logs=$work/pglog
  [ "$c" -eq 1 ] || j=$sat_threads
  rm -rf "$logs"
  mkdir -p "$logs"
  cmdlog "pgbench -n -h $host -p \$PGPORT -U postgres -c $c -j $j -T $d -f $(basename "$script") -l postgres"
  (cd "$logs" && "$pg_bin/pgbench" -n -h "$host" -p "$pg_port" -U postgres -c "$c" -j "$j" -T "$d" \
    -f "$script" -l --log-prefix=tx postgres) >"$work/pgbench.txt" 2>&1 ||
    { cat "$work/pgbench.txt" >&2; die "pgbench failed ($key)"; }
  [ "$key" = "${key%.warmup}" ] || return 0
  note "$key.tps" "$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' "$work/pgbench.txt" | head -n1)"
  python3 bench/report.py percentiles "$logs"/tx* | {
    read -r n p50 p95 p99
    [ "${n:-0}" -gt 0 ] || die "pgbench made no transaction ($key)"
    note "$key.transactions" "$n"
    note "$key.p50" "$p50"
    note "$key.p95" "$p95"
    note "$key.p99" "$p99"
  }
}

# --- one corpus.
bench_corpus() {
  local meetings=$1 c=m$1
  local generated=$corpora/m$meetings-seed1-v2
  local copy=$work/$c-corpus db=$work/$c-index dump=$work/$c.jsonl line
  log "== $c"
  load_sample "$c"

  # 1. the corpus (shared and read-only: generated only when missing).
  if [ ! -d "$generated" ]; then
    log "generating $generated"
    mkdir -p "$corpora"
    rm -rf "$generated.tmp"
    cmdlog "python3 $gencorpus --meetings $meetings --seed 1 --jobs $(nproc) --out $generated"
    python3 "$gencorpus" --meetings "$meetings" --seed 1 --jobs "$(nproc)" --out "$generated.tmp" >"$generated.tmp.log" ||
      die "gencorpus.py failed"
    mv "$generated.tmp.log" "$generated.log"
    mv "$generated.tmp" "$generated"
  fi
  # A copy of hard links: the incremental run below changes one file by
  # writing a new one in its place, so the shared original stays as it is.
  cmdlog "cp -al $generated $copy"
  cp -al "$generated" "$copy" 2>/dev/null || {
    log "cannot hard-link $generated (another file system?); copying it"
    rm -rf "$copy"
    cp -a "$generated" "$copy"
  }
  note "$c.files" "$(find "$copy" -type f | wc -l)"
  note "$c.bytes" "$(find "$copy" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')"

  # 2. indexing.
  log "$c: --dump (parsing and repair only)"
  measure "$index" --quiet --dump "$copy" >"$dump"
  note "$c.dump.wall" "$m_wall"
  note "$c.dump.cpu" "$m_cpu"
  local records
  records=$(wc -l <"$dump")
  note "$c.records" "$records"

  log "$c: indexing $records records into a fresh index (2 writers)"
  measure "$index" --quiet --jobs 2 --db "$db" "$copy"
  note "$c.index.wall" "$m_wall"
  note "$c.index.cpu" "$m_cpu"
  note "$c.index.rss" "$m_rss"
  note "$c.index.size" "$(du -sb "$db" | cut -f1)"
  local n
  n=$("$dbcheck" "$db" count) || die "ks-dbcheck $db count failed"
  [ "$n" -eq "$records" ] || die "the index holds $n records, --dump printed $records"
  cmdlog "$index_stats $db"
  line=$("$index_stats" "$db") || die "index-stats $db failed"
  note_pairs "$c.stats" "$line"

  log "$c: ref-index (plain Xapian, one thread) on the same records"
  measure "$ref_index" "$work/$c-ref" "$dump" >/dev/null
  note "$c.ref.wall" "$m_wall"
  note "$c.ref.cpu" "$m_cpu"
  note "$c.ref.rss" "$m_rss"
  note "$c.ref.size" "$(du -sb "$work/$c-ref" | cut -f1)"
  cmdlog "$index_stats $work/$c-ref"
  line=$("$index_stats" "$work/$c-ref") || die "index-stats $work/$c-ref failed"
  note_pairs "$c.refstats" "$line"

  # 3. search: the in-process references, then the server.
  load_sample "$c-search"
  log "$c: ref-plain and ref-xapian ($rounds rounds over the queries)"
  local key prog dir
  for key in refp refx; do
    if [ "$key" = refp ]; then prog=$ref_plain dir=$work/$c-ref; else prog=$ref_xapian dir=$db; fi
    cmdlog "$prog $dir $queries $rounds"
    line=$("$prog" "$dir" "$queries" "$rounds") || die "$prog failed"
    read -r p50 p95 p99 < <(sed -nE 's/.* p50 ([0-9.]+) ms p95 ([0-9.]+) ms p99 ([0-9.]+) ms.*/\1 \2 \3/p' <<<"$line")
    [ -n "${p99:-}" ] || die "cannot read $prog's output: $line"
    note "$c.$key.p50" "$p50"
    note "$c.$key.p95" "$p95"
    note "$c.$key.p99" "$p99"
  done
  rm -rf "$work/$c-ref"

  log "$c: facet-error (the estimated facet counts against the exact ones)"
  cmdlog "$facet_error $db $queries"
  line=$("$facet_error" "$db" "$queries") || die "facet-error failed"
  note_pairs "$c.facet" "$line"
  cmdlog "$facet_error $db $queries $facet_bound"
  line=$("$facet_error" "$db" "$queries" "$facet_bound") || die "facet-error failed"
  note_pairs "$c.facetsim" "$line"

  log "$c: the server, wrk at 1 client and at saturation"
  start_server "$db"
  sanity "$c.server"
  wrk_run "$c.warmup" "$sat_threads" "$sat_conns" "$warmup"
  wrk_run "$c.one" 1 1 "$duration"
  wrk_run "$c.sat" "$sat_threads" "$sat_conns" "$duration"
  stop_server

  # 4. incremental: nothing changed, then one file changed (written as a new
  # file in the hard-linked copy: the original is untouched).
  log "$c: incremental runs"
  measure "$index" --quiet --db "$db" "$copy"
  note "$c.rerun.wall" "$m_wall"
  local changed
  changed=$(find "$copy" -type f -name '*.txt' ! -name 'budget_*' | sort | tail -n1)
  cmdlog "python3 (append a paragraph to $changed, written as a new file and renamed over it)"
  python3 - "$changed" <<'EOF'
import os, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
text = text.rstrip("\n") + "\n\nTilføjet efter mødet: Referatet er rettet med en bemærkning om benchmarkens ændrede fil.\n"
with open(path + ".new", "w", encoding="utf-8") as f:
    f.write(text)
os.replace(path + ".new", path)
EOF
  cmdlog "$index --db $db $copy"
  local t0 summary
  t0=$(date +%s.%N)
  summary=$("$index" --db "$db" "$copy" 2>&1 >/dev/null) || die "the incremental run failed: $summary"
  note "$c.incr.wall" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')"
  summary=$(tail -n1 <<<"$summary")
  grep -q '(1 parsed, ' <<<"$summary" || die "the incremental run did not re-read exactly one file: $summary"
  note "$c.incr.summary" "${summary#*: }"

  # 5. PostgreSQL on the same records and queries.
  pg_corpus "$c" "$dump"

  # 6. two shards over xapian-tcpsrv: on the corpora of at most SHARD_MEETINGS
  # meetings, for --shards is built by one writer (hours on a million records).
  if [ "$meetings" -gt "$shard_meetings" ]; then
    rm -rf "$copy" "$dump"
    load_sample "$c-end"
    return
  fi
  log "$c: indexing into 2 shards"
  measure "$index" --quiet --shards 2 --db "$work/$c-shards" "$copy"
  note "$c.shards.wall" "$m_wall"
  rm -rf "$db"
  tcp_urls=()
  start_tcpsrv "$work/$c-shards/0"
  start_tcpsrv "$work/$c-shards/1"
  log "$c: the server over 2 xapian-tcpsrv shards, wrk at 1 client"
  start_server "${tcp_urls[@]}"
  sanity "$c.shard"
  wrk_run "$c.shard.warmup" 1 1 "$warmup"
  wrk_run "$c.shard" 1 1 "$duration"
  stop_server
  stop_tcpsrv
  rm -rf "$work/$c-shards" "$copy" "$dump"
  load_sample "$c-end"
}

# pg_corpus C DUMP: loads the records into PostgreSQL and measures.
pg_corpus() {
  local c=$1 dump=$2
  [ -n "$pgtmp" ] || start_pg
  log "$c: PostgreSQL: loading the records"
  # id, title, text as COPY's text format, and the queries for
  # websearch_to_tsquery (which knows "phrases", OR and -word; AND is its
  # default and NOT its -).
  python3 - "$dump" "$pgtmp/records.tsv" "$queries" "$pgtmp/queries.tsv" <<'EOF'
import json, re, sys
dump, tsv, qfile, qtsv = sys.argv[1:5]
def esc(s):
    return (s or "").replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
with open(dump, encoding="utf-8") as f, open(tsv, "w", encoding="utf-8") as out:
    for line in f:
        r = json.loads(line)
        out.write(f"{esc(r['id'])}\t{esc(r['title'])}\t{esc(r['text'])}\n")
with open(qfile, encoding="utf-8") as f, open(qtsv, "w", encoding="utf-8") as out:
    qs = [l.rstrip("\r\n") for l in f if l.strip()]
    for i, q in enumerate(qs, 1):
        q = re.sub(r"\bAND\s+", "", q)
        q = re.sub(r"\bNOT\s+", "-", q)
        out.write(f"{i}\t{esc(q)}\n")
EOF
  local nq
  nq=$(wc -l <"$pgtmp/queries.tsv")
  psql_ -c "DROP TABLE IF EXISTS rec; DROP TABLE IF EXISTS q;" \
    -c "CREATE TABLE rec (id text, title text, body text, tsv tsvector GENERATED ALWAYS AS (to_tsvector('danish', title || ' ' || body)) STORED);" \
    -c "CREATE TABLE q (i int PRIMARY KEY, q text);" \
    -c "\\copy q FROM '$pgtmp/queries.tsv'"
  cmdlog "psql: CREATE TABLE rec (id text, title text, body text, tsv tsvector GENERATED ALWAYS AS (to_tsvector('danish', title || ' ' || body)) STORED)"
  cmdlog "psql: \\copy rec (id, title, body) FROM 'records.tsv'"
  local t0 t1 t2
  t0=$(date +%s.%N)
  psql_ -c "\\copy rec (id, title, body) FROM '$pgtmp/records.tsv'"
  t1=$(date +%s.%N)
  cmdlog "psql: CREATE INDEX rec_tsv ON rec USING gin (tsv)"
  psql_ -c "CREATE INDEX rec_tsv ON rec USING gin (tsv);"
  t2=$(date +%s.%N)
  cmdlog "psql: VACUUM ANALYZE rec"
  psql_ -c "VACUUM ANALYZE rec;"
  note "$c.pg.copy" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
  note "$c.pg.gin" "$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.3f", b - a }')"
  note "$c.pg.size" "$(psql_ -At -c "SELECT pg_total_relation_size('rec')")"
  local n
  n=$(psql_ -At -c "SELECT count(*) FROM rec")
  [ "$n" -eq "$(wc -l <"$dump")" ] || die "PostgreSQL holds $n records, the dump has $(wc -l <"$dump")"
  rm -f "$pgtmp/records.tsv"

  # The query of a search: top 20 by ts_rank; and the same with ts_headline
  # of each hit's text.
  cat >"$work/pg-rank.sql" <<EOF
\\set i random(1, $nq)
SELECT id, ts_rank(tsv, query) AS rank FROM rec, (SELECT websearch_to_tsquery('danish', q) AS query FROM q WHERE i = :i) AS s WHERE tsv @@ query ORDER BY rank DESC LIMIT 20;
EOF
  cat >"$work/pg-headline.sql" <<EOF
\\set i random(1, $nq)
SELECT id, ts_headline('danish', body, query) FROM (SELECT id, body, query, ts_rank(tsv, query) AS rank FROM rec, (SELECT websearch_to_tsquery('danish', q) AS query FROM q WHERE i = :i) AS s WHERE tsv @@ query ORDER BY rank DESC LIMIT 20) AS top ORDER BY rank DESC;
EOF
  cmdlog "pg-rank.sql: $(tail -n1 "$work/pg-rank.sql")"
  cmdlog "pg-headline.sql: $(tail -n1 "$work/pg-headline.sql")"
  # The plan must use the GIN index (no sequential scan of rec).
  local plan
  plan=$(psql_ -At -c "EXPLAIN SELECT id, ts_rank(tsv, query) AS rank FROM rec, (SELECT websearch_to_tsquery('danish', q) AS query FROM q WHERE i = 1) AS s WHERE tsv @@ query ORDER BY rank DESC LIMIT 20")
  grep -q rec_tsv <<<"$plan" || log "warning: PostgreSQL's plan does not use the GIN index: $plan"
  # Every query once (a sanity pass and a first warm-up).
  psql_ -At -c "SELECT count(*) FILTER (WHERE n = 0) FROM (SELECT (SELECT count(*) FROM rec WHERE tsv @@ websearch_to_tsquery('danish', q.q)) AS n FROM q) AS t" >"$work/pg-zero" ||
    die "the queries failed in PostgreSQL"
  note "$c.pg.without_hits" "$(cat "$work/pg-zero")"

  log "$c: PostgreSQL: pgbench at 1 client (rank, headline) and at saturation"
  load_sample "$c-pg"
  pgbench_run "$c.pg.warmup" "$work/pg-rank.sql" "$sat_conns" "$warmup"
  pgbench_run "$c.pg.one" "$work/pg-rank.sql" 1 "$duration"
  pgbench_run "$c.pg.headline" "$work/pg-headline.sql" 1 "$duration"
  pgbench_run "$c.pg.sat" "$work/pg-rank.sql" "$sat_conns" "$duration"
  psql_ -c "DROP TABLE rec; DROP TABLE q;"
}

for m in "${meetings_list[@]}"; do
  bench_corpus "$m"
done
stop_pg
load_sample end
note run.seconds "$(($(date +%s) - started))"
python3 bench/report.py render "$results" "$commands" "$results_md" || die "bench/report.py failed"
log "done in $(($(date +%s) - started)) s; wrote $results_md"
