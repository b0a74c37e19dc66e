#!/usr/bin/env bash
# bench/callgrind-search.sh — the instructions a search request costs, which
# do not depend on the load of a shared machine as wall-clock times do:
#
#   bench/callgrind-search.sh BUILD INDEX [ROUNDS] [QUERIES]
#
# Starts BUILD/server/kommunesoeg-server (a release build) on INDEX under
# valgrind --tool=callgrind (all threads, --threads 2 as bench/run.sh runs it,
# no search time limit: under callgrind a search is ~50 times slower), sends
# every query of QUERIES (default bench/queries.txt) once per round as
# GET /api/search?q= over one keep-alive connection on loopback, and dumps
# the counts after each round (ROUNDS, default 3). Start-up is not counted.
# Printed: the instructions per request of each round. Round 1 is each
# query seen for the first time; the two search threads take requests in
# turn, so with an odd number of queries a thread sees a query again only in
# round 3 (what a reader keeps per query, such as its spelling suggestion,
# shows there). The callgrind files (callgrind_annotate) and each round's
# responses are left in a directory named on stderr.
#
# bench/ref-plain does no HTTP; its instructions per query are the
# difference of two runs under callgrind: `ref-plain INDEX QUERIES 2` minus
# `ref-plain INDEX QUERIES 1`, divided by the number of queries.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bench/callgrind-search.sh BUILD INDEX [ROUNDS] [QUERIES]" >&2; exit 2; }
build=$1 index=$2 rounds=${3:-3} queries=${4:-bench/queries.txt}
server=$build/server/kommunesoeg-server
[ -x "$server" ] || { echo "callgrind-search.sh: no $server" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "callgrind-search.sh: ROUNDS is a number ≥ 1" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "callgrind-search.sh: valgrind is missing" >&2; exit 2; }

out=$(mktemp -d -t ks-callgrind.XXXXXX)
echo "callgrind-search.sh: files in $out" >&2
mkdir -p "$out/web"
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$out/web"
}
trap cleanup EXIT

valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.%p" "$server" --db "$index" \
  --web "$out/web" --bind 127.0.0.1 --port 0 --threads 2 --search-timeout 3600000 \
  2>"$out/server.log" &
pid=$!
port=
for _ in $(seq 600); do
  port=$(sed -nE 's|.*listening on http://[^ /]*:([0-9]+).*|\1|p' "$out/server.log" | head -n1)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
[ -n "$port" ] || { echo "callgrind-search.sh: the server did not start ($out/server.log)" >&2; exit 1; }

# One round: every query once, each response on a line after its query.
round() {
  /usr/bin/python3 - "$port" "$queries" "$1" <<'PY'
import http.client, sys, urllib.parse
port, queries, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
with open(queries, encoding="utf-8") as f, open(out, "wb") as o:
    for q in (l.rstrip("\r\n") for l in f):
        if not q:
            continue
        conn.request("GET", "/api/search?q=" + urllib.parse.quote(q, safe="-._~"))
        r = conn.getresponse()
        o.write(q.encode() + b"\t" + str(r.status).encode() + b"\t" + r.read() + b"\n")
PY
}
n=$(grep -c . "$queries")
callgrind_control -z "$pid" >/dev/null
for r in $(seq "$rounds"); do
  round "$out/responses.$r"
  callgrind_control -d "$pid" >/dev/null
  total=$(sed -nE 's/^summary: ([0-9]+).*/\1/p' "$out/callgrind.$pid.$r")
  echo "round $r: $n requests, $total instructions, $((total / n)) per request"
done
