#!/usr/bin/env bash
# The real indexer under valgrind: a full build of corpus/ next to the bad
# files, an incremental re-run, a removal and a dump, the archive moved and
# a change past KS_UPDATE_RECORDS built anew; then PDFs (with
# tests/tools/mkpdf, the optional fourth argument).  Any invalid access
# or definite leak fails the test (valgrind's exit status 9).  Each PDF is
# read by a child process (the indexer again): valgrind follows it, and a
# child's error fails its file, so the PDF run's count of records.
set -euo pipefail
index=$1 corpus=$2 bad=$3 mkpdf=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The indexer is linked with jemalloc (indexer/meson.build): valgrind puts
# its own malloc in jemalloc's place, as it does in glibc's, to see every block.
vg=(valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --trace-children=yes --soname-synonyms='somalloc=*jemalloc*')

cp -r "$corpus" "$tmp/docs"
status=0
"${vg[@]}" "$index" --quiet --db "$tmp/index" "$tmp/docs" "$bad" 2>"$tmp/err" || status=$?
[ "$status" -eq 1 ] || { cat "$tmp/err"; echo "full run: exit $status, want 1"; exit 1; }
rm "$tmp/docs/direktionen-2023-11-06.txt"
echo "Ændret." >> "$tmp/docs/direktionen-2025-11-17.txt"
"${vg[@]}" "$index" --quiet --db "$tmp/index" "$tmp/docs"
"${vg[@]}" "$index" --dump "$tmp/docs" > "$tmp/dump.jsonl"
[ "$(wc -l < "$tmp/dump.jsonl")" -eq 54 ] || { echo "dump: want 54 records"; exit 1; }
# The archive moved (recognised: nothing read), then a change past
# KS_UPDATE_RECORDS (built anew by two writers).
mv "$tmp/docs" "$tmp/moved"
"${vg[@]}" "$index" --db "$tmp/index" "$tmp/moved" 2>"$tmp/err"
grep -q "(0 parsed, 4 unchanged, 0 removed, 0 failed)" "$tmp/err" ||
  { cat "$tmp/err"; echo "moved: want nothing read"; exit 1; }
cp "$corpus/direktionen-2023-11-06.txt" "$tmp/moved/kopi.txt"
KS_UPDATE_RECORDS=5 "${vg[@]}" "$index" --jobs 2 --db "$tmp/index" "$tmp/moved" 2>"$tmp/err"
grep -q "building the index anew" "$tmp/err" || { cat "$tmp/err"; echo "no rebuild"; exit 1; }
# Shards by two writers, in parts of a few records, flushed every few.
KS_PART_RECORDS=20 KS_FLUSH_RECORDS=5 "${vg[@]}" "$index" --quiet --jobs 2 --shards 2 \
  --db "$tmp/shards" "$tmp/moved"

# PDFs (poppler): one drawn by tests/tools/mkpdf in two columns, a scan and a
# cut-off copy, which fail.
if [ -n "$mkpdf" ]; then
  mkdir "$tmp/pdf"
  "$mkpdf" --columns 2 "$corpus/direktionen-2025-10-06.txt" "$tmp/pdf/a.pdf" >/dev/null
  "$mkpdf" --image "$corpus/direktionen-2025-11-17.txt" "$tmp/pdf/scan.pdf" >/dev/null
  head -c 5000 "$tmp/pdf/a.pdf" > "$tmp/pdf/cut.pdf"
  status=0
  "${vg[@]}" "$index" --dump "$tmp/pdf" > "$tmp/pdf.jsonl" 2>"$tmp/err" || status=$?
  [ "$status" -eq 1 ] || { cat "$tmp/err"; echo "pdf run: exit $status, want 1"; exit 1; }
  [ "$(wc -l < "$tmp/pdf.jsonl")" -eq 11 ] || { echo "pdf dump: want 11 records"; exit 1; }
fi
echo "valgrind: clean"
