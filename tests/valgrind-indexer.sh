#!/usr/bin/env bash
# The real indexer under valgrind: a full build of corpus/ next to the bad
# files, an incremental re-run, a removal and a dump.  Any invalid access
# or definite leak fails the test (valgrind's exit status 9).
set -euo pipefail
index=$1 corpus=$2 bad=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vg=(valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect)

cp -r "$corpus" "$tmp/docs"
status=0
"${vg[@]}" "$index" --quiet --db "$tmp/index" "$tmp/docs" "$bad" 2>"$tmp/err" || status=$?
[ "$status" -eq 1 ] || { cat "$tmp/err"; echo "full run: exit $status, want 1"; exit 1; }
rm "$tmp/docs/direktionen-2023-11-06.txt"
echo "Ændret." >> "$tmp/docs/direktionen-2025-11-17.txt"
"${vg[@]}" "$index" --quiet --db "$tmp/index" "$tmp/docs"
"${vg[@]}" "$index" --dump "$tmp/docs" > "$tmp/dump.jsonl"
[ "$(wc -l < "$tmp/dump.jsonl")" -eq 54 ] || { echo "dump: want 54 records"; exit 1; }
echo "valgrind: clean"
