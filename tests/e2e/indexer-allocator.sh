#!/bin/sh
# kommunesoeg-index runs on jemalloc (indexer/meson.build): asked by
# MALLOC_CONF for its statistics, jemalloc prints them as the program exits;
# glibc's malloc knows no MALLOC_CONF and prints nothing.
# Usage: indexer-allocator.sh KOMMUNESOEG-INDEX CORPUS
set -eu
index=$1
corpus=$2
err=$(MALLOC_CONF=stats_print:true "$index" --dump "$corpus" 2>&1 >/dev/null) || {
  printf '%s\n' "$err" | tail -n 5 >&2
  echo "indexer-allocator: kommunesoeg-index --dump $corpus failed" >&2
  exit 1
}
case $err in
*"Begin jemalloc statistics"*)
  echo "indexer-allocator: kommunesoeg-index printed jemalloc's statistics: it runs on jemalloc"
  ;;
*)
  echo "indexer-allocator: kommunesoeg-index printed no jemalloc statistics with" \
    "MALLOC_CONF=stats_print:true: it does not run on jemalloc" >&2
  exit 1
  ;;
esac
