#!/usr/bin/env bash
# Search-latency benchmark: serves the index of a generated corpus of
# MEETINGS (default 20000) meetings with a release build of
# kommunesoeg-server on 127.0.0.1 and measures GET /api/search with wrk,
# cycling through ../shared/bench/queries.txt (bench/queries.lua; each query
# sent exactly as written, percent-encoded as UTF-8). After a warm-up it makes
# two runs of DURATION (default 20, at most 30) seconds:
#   1 client     wrk -t1 -c1            single-client latency
#   saturation   wrk -t2 -c16           throughput and latency under load
# and reports p50/p90/p95/p99 latency, requests/s, non-2xx responses, socket
# errors, the server's memory (VmRSS/VmHWM) after each run, its CPU time per
# request, how busy the machine was (and by what other than the server), and
# the CPU time of each server thread (shows how the connections were spread
# over the thread pool), as a Markdown table on stdout that is also appended
# to bench/RESULTS.md. Before the runs every query is sent once (status codes,
# queries without hits, the slowest ones).
#
#   bench/search.sh                 MEETINGS=1000 bench/search.sh
#
# Reuses bench/corpora/mN-seed1 (bench/index.sh's naming) and bench/data/mN
# when they exist, otherwise generates/indexes them (20000 meetings: ~420 MB of
# text, several minutes of indexing). The indexer is always re-run on the
# corpus (incremental: nothing to do when nothing changed); REINDEX=1 builds
# the index afresh (needed when the index schema changed).
# Other settings: WARMUP (s, default 5), SAT_THREADS/SAT_CONNECTIONS (2/16),
# SERVER_THREADS (--threads, default 2), PORT (default 0: the server picks a
# free port and names it in its "listening on http://127.0.0.1:PORT" line),
# SERVER (default build-bench/server/kommunesoeg-server), RESULTS (default
# bench/RESULTS.md; RESULTS=/dev/null to keep the file as it is).
# Installs wrk and curl with apt-get when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

meetings=${MEETINGS:-20000}
duration=${DURATION:-20}
warmup=${WARMUP:-5}
sat_threads=${SAT_THREADS:-2}
sat_conns=${SAT_CONNECTIONS:-16}
server_threads=${SERVER_THREADS:-2}
port=${PORT:-0}
server=${SERVER:-build-bench/server/kommunesoeg-server}
results=${RESULTS:-bench/RESULTS.md}
queries=../shared/bench/queries.txt
gencorpus=../shared/bench/gencorpus.py
corpora=bench/corpora
generated=$corpora/m$meetings-seed1
db=bench/data/m$meetings
host=127.0.0.1

[ "$duration" -le 30 ] || { echo "search.sh: DURATION is at most 30 s" >&2; exit 2; }
[ "$warmup" -le 30 ] || { echo "search.sh: WARMUP is at most 30 s" >&2; exit 2; }
log() { echo "search.sh: $*" >&2; }

# --- tools: wrk (the load generator) and curl, from Debian, only if missing.
missing=()
for p in wrk curl; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { log "missing ${missing[*]}; run as root or install sudo"; exit 1; }
    sudo=(sudo)
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- release build.
reconfigure=()
[ -d build-bench/meson-private ] && reconfigure=(--reconfigure)
meson setup "${reconfigure[@]}" build-bench --buildtype=release >/dev/null
ninja -C build-bench >/dev/null
# The code measured is the code built now, whatever is committed later.
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- lib indexer server 2>/dev/null || commit="$commit + uncommitted changes"
index=build-bench/indexer/kommunesoeg-index
[ -x "$server" ] || { log "no server binary at $server (does build-bench build it yet?)"; exit 1; }

# --- corpus (as bench/index.sh makes it) and its index.
if [ ! -d "$generated" ]; then
  log "generating $generated"
  mkdir -p "$corpora"
  rm -rf "$generated.tmp"
  python3 "$gencorpus" --meetings "$meetings" --seed 1 --jobs "$(nproc)" --out "$generated.tmp" > "$generated.log"
  mv "$generated.tmp" "$generated"
fi
[ "${REINDEX:-0}" = 1 ] && rm -rf "$db"
if [ -d "$db" ] && [ "$index" -nt "$db" ]; then
  log "note: $index is newer than $db; if the index schema changed since, run with REINDEX=1"
fi
[ -d "$db" ] || log "indexing $generated into $db (takes a while for big corpora)"
mkdir -p "$(dirname "$db")"
t0=$(date +%s.%N)
status=0
"$index" --quiet --db "$db" "$generated" || status=$?
[ "$status" -le 1 ] || { log "indexer failed (exit $status)"; exit 1; }
log "index up to date in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s: $(du -sh "$db" | cut -f1)"

# --- server.
tmp=$(mktemp -d)
server_pid=
stop_server() {
  [ -n "$server_pid" ] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$server_pid" 2>/dev/null; then
      log "server did not stop within 10 s of SIGTERM; killing it"
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
  fi
  wait "$server_pid" 2>/dev/null && server_exit=0 || server_exit=$?
  server_pid=
}
server_exit=
trap 'stop_server; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# start_server PORT: starts it, sets server_pid and url; 1 if it did not come up.
start_server() {
  : > "$tmp/server.log"
  "$server" --db "$db" --bind "$host" --port "$1" --threads "$server_threads" 2> "$tmp/server.log" &
  server_pid=$!
  local p=
  for _ in $(seq 600); do      # up to 60 s to open the index and listen
    p=$(sed -nE 's|.*listening on http://[^ /]*:([0-9]+).*|\1|p' "$tmp/server.log" | head -n1)
    [ -n "$p" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$p" ]; then
    log "server did not say where it listens; its stderr:"
    tail -n 20 "$tmp/server.log" >&2
    stop_server
    return 1
  fi
  url="http://$host:$p"
}
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
if ! start_server "$port"; then
  [ "$port" = 0 ] || exit 1
  port=$(free_port)
  log "retrying with --port $port"
  start_server "$port" || exit 1
fi
server_cmd="$server --db $db --bind $host --port $port --threads $server_threads"
port_note="port chosen by the server"
[ "$port" = 0 ] || port_note="port $port"
log "server $server_pid at $url"

healthz=
for _ in $(seq 300); do       # up to 30 s for /healthz to answer 200
  if healthz=$(curl -fsS --max-time 2 "$url/healthz" 2>/dev/null); then break; fi
  healthz=
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$healthz" ] || { log "GET /healthz never answered 200"; tail -n 20 "$tmp/server.log" >&2; exit 1; }
documents=$(sed -nE 's/.*"documents"[[:space:]]*:[[:space:]]*([0-9]+).*/\1/p' <<<"$healthz")
log "healthz: $healthz"

# --- sanity pass: every query once, sequentially (also a first warm-up):
# status codes, queries without hits, response size.
sanity=$(python3 - "$url" "$queries" <<'EOF'
import json, sys, time, urllib.error, urllib.parse, urllib.request
url, qfile = sys.argv[1], sys.argv[2]
qs = [l.rstrip("\r\n") for l in open(qfile, encoding="utf-8") if l.strip()]
codes, zero, size, bad, times = {}, [], 0, [], []
for q in qs:
    t = time.monotonic()
    try:
        with urllib.request.urlopen(f"{url}/api/search?q={urllib.parse.quote(q, safe='')}", timeout=30) as r:
            body, code = r.read(), r.status
    except urllib.error.HTTPError as e:
        body, code = e.read(), e.code
    times.append(((time.monotonic() - t) * 1000, q))
    codes[code] = codes.get(code, 0) + 1
    size += len(body)
    if code == 200:
        try:
            if json.loads(body).get("total", 0) == 0:
                zero.append(q)
        except ValueError:
            bad.append(q)
    else:
        bad.append(q)
print(f"{len(qs)} queries: status {', '.join(f'{c}: {n}' for c, n in sorted(codes.items()))}; "
      f"{len(zero)} without hits; mean response {size / len(qs) / 1024:.1f} KB; "
      f"one at a time: median {sorted(times)[len(times) // 2][0]:.1f} ms")
print("slowest one at a time: " + ", ".join(f"`{q}` {ms:.0f} ms" for ms, q in sorted(times, reverse=True)[:5]))
for q in bad[:5]:
    print(f"  not 200 / not JSON: {q}")
EOF
)
sed 's/^/search.sh: /' <<<"$sanity" >&2

# --- measurements.
vm() { awk -v k="$1:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status"; }
# jiffies "busy total" of the whole machine, from /proc/stat
machine_cpu() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t; exit }' /proc/stat; }
# "tid ticks" of every thread of the server
thread_ticks() { { cat /proc/"$server_pid"/task/*/stat 2>/dev/null || true; } | awk '{ print $1, $14 + $15 }'; }
cpu_s() { awk '{ printf "%.2f", ($14 + $15) / '"$(getconf CLK_TCK)"' }' "/proc/$server_pid/stat"; }

# run NAME THREADS CONNECTIONS SECONDS: one wrk run; appends a table row.
rows=()
run() {
  local name=$1 t=$2 c=$3 d=$4 out=$tmp/wrk-$1.txt cpu0 cpu1 m0 m1
  cpu0=$(cpu_s)
  m0=$(machine_cpu)
  thread_ticks > "$tmp/threads0"
  timeout $((d + 20)) wrk -t"$t" -c"$c" -d"${d}s" --timeout 10s --latency \
    -s bench/queries.lua "$url" -- "$queries" > "$out"
  cpu1=$(cpu_s)
  m1=$(machine_cpu)
  thread_ticks > "$tmp/threads1"
  # CPU seconds of each server thread in this run, busiest first (threads
  # that used none left out): shows how the connections were spread.
  local split
  split=$(awk -v hz="$(getconf CLK_TCK)" 'NR == FNR { a[$1] = $2; next }
      { d = $2 - a[$1]; if (d > 0) print d / hz }' "$tmp/threads0" "$tmp/threads1" |
    sort -rn | awk '{ printf "%s%.1f", (NR > 1 ? " / " : ""), $1 }')
  kill -0 "$server_pid" 2>/dev/null || { log "server died during $name"; cat "$out" >&2; exit 1; }
  sed 's/^/  /' "$out" >&2
  local k
  k=$(grep '^KSBENCH ' "$out") || { log "no KSBENCH line from wrk"; exit 1; }
  # KSBENCH key=value ... -> shell variables b_key
  local b_requests b_rps b_p50_ms b_p90_ms b_p95_ms b_p99_ms b_max_ms b_non2xx b_connect b_read b_write b_timeout b_duration_s
  eval "$(tr ' ' '\n' <<<"${k#KSBENCH }" | sed -nE 's/^([a-z0-9_]+)=([0-9.]+)$/b_\1=\2/p')"
  [ "$name" = warm-up ] && return 0
  [ "$b_non2xx" = 0 ] || log "warning: $b_non2xx non-2xx responses in the $name run"
  rows+=("$(printf '| %s | `-t%s -c%s -d%ss` | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %s | %s/%s/%s/%s | %s | %s | %.2f | %s | %s |' \
    "$name" "$t" "$c" "$d" "$b_requests" "$b_rps" "$b_p50_ms" "$b_p90_ms" "$b_p95_ms" "$b_p99_ms" "$b_max_ms" \
    "$b_non2xx" "$b_connect" "$b_read" "$b_write" "$b_timeout" "$(vm VmRSS)" "$(vm VmHWM)" \
    "$(awk -v a="$cpu0" -v b="$cpu1" -v n="$b_requests" 'BEGIN { print n ? (b - a) * 1000 / n : 0 }')" \
    "$(awk -v m0="$m0" -v m1="$m1" -v a="$cpu0" -v b="$cpu1" -v hz="$(getconf CLK_TCK)" -v n="$(nproc)" 'BEGIN {
       split(m0, x, " "); split(m1, y, " "); total = y[2] - x[2]; busy = y[1] - x[1]; srv = (b - a) * hz
       if (total <= 0) { print "?"; exit }
       printf "%.0f%% / %.0f%%", 100 * busy / total, 100 * (busy - srv) / total }')" "${split:-?}")")
}

log "warm-up: ${warmup} s, -t$sat_threads -c$sat_conns"
run warm-up "$sat_threads" "$sat_conns" "$warmup"
log "1 client: ${duration} s"
run "1 client" 1 1 "$duration"
log "saturation: ${duration} s, -t$sat_threads -c$sat_conns"
run saturation "$sat_threads" "$sat_conns" "$duration"

stop_server
sigterm="exited with status $server_exit after SIGTERM"

# --- report.
cpu=$(sed -nE 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n1)
report=$(cat <<EOF

## Search: m$meetings, $(date -u '+%Y-%m-%d %H:%M UTC')

- Machine: $(nproc) × $cpu, $(free -g | awk '/^Mem:/ { print $2 " GB" }') RAM, Linux $(uname -r); $(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2); commit $commit.
- Index: \`$db\` from \`$generated\`, ${documents:-?} records, $(du -sh "$db" | cut -f1); release build (\`build-bench\`).
- Server: \`$server_cmd\` ($port_note), request log to a file; $sigterm.
- Queries: \`$queries\`, each as \`GET /api/search?q=<query>\` (bench/queries.lua); sanity pass: $(head -n1 <<<"$sanity"); $(sed -n 2p <<<"$sanity").
- Warm-up ${warmup} s at \`-t$sat_threads -c$sat_conns\`, then \`wrk -tT -cC -dDs --timeout 10s --latency -s bench/queries.lua URL -- $queries\`; wrk runs on the same $(nproc) cores as the server ("not server": wrk and anything else running).

| run | wrk | requests | req/s | p50 ms | p90 ms | p95 ms | p99 ms | max ms | non-2xx | socket errors (conn/read/write/timeout) | server VmRSS MB | VmHWM MB | server CPU ms/req | machine CPU busy / not server | server CPU s per thread |
|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|
$(printf '%s\n' "${rows[@]}")

Command: \`$(env | grep -E '^(MEETINGS|DURATION|WARMUP|SAT_THREADS|SAT_CONNECTIONS|SERVER_THREADS|PORT|SERVER|REINDEX)=' | sort | tr '\n' ' ')bench/search.sh\`
EOF
)
echo "$report"
if [ "$results" != /dev/null ]; then
  [ -s "$results" ] || printf '# Benchmark results\n\nWritten by bench/search.sh (newest last).\n' > "$results"
  echo "$report" >> "$results"
  log "appended to $results"
fi
