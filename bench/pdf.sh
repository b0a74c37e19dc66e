#!/usr/bin/env bash
# PDF benchmark: one long meeting (the items of the corpus's plain-text
# minutes, numbered on, until PAGES pages; default 1000) as text and as a PDF
# drawn by tests/tools/mkpdf.  Times kommunesoeg-index (release build) on each, RUNS
# runs (median; default 3) of --dump and of a fresh index, and the peak RSS
# of each (GNU time -v).  Appends the figures to bench/RESULTS.md.
#
#   bench/pdf.sh            PAGES=250 bench/pdf.sh
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${PAGES:-1000}
runs=${RUNS:-3}

reconfigure=()
[ -d build-bench/meson-private ] && reconfigure=(--reconfigure)
meson setup "${reconfigure[@]}" build-bench --buildtype=release >/dev/null
ninja -C build-bench >/dev/null
index=build-bench/indexer/kommunesoeg-index
mkpdf=build-bench/tests/tools/mkpdf

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# make_text CHARS OUT: the header of one meeting, then the items of every
# plain-text meeting of corpus/ over and over, numbered on, up to CHARS.
make_text() {
  python3 - "$1" "$2" corpus/direktionen-*.txt <<'EOF'
import re, sys
want, out, files = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
texts = [open(f, encoding="utf-8").read() for f in files]
first = re.search(r"^Punkt \d+:", texts[0], re.M).start()
head = texts[0][:first]
items = []
for t in texts:
    for m in re.finditer(r"^Punkt \d+:(.*?)(?=^Punkt \d+:|\Z)", t, re.M | re.S):
        items.append(m.group(1).rstrip("\n") + "\n\n")
parts, size, n = [head], len(head), 0
while size < want:
    body = items[n % len(items)]
    n += 1
    parts.append(f"Punkt {n}:{body}")
    size += len(parts[-1])
with open(out, "w", encoding="utf-8") as f:
    f.write("".join(parts))
print(n)
EOF
}

# The size that gives PAGES pages: measured on a small sample first.
make_text 200000 "$tmp/sample.txt" >/dev/null
sample_pages=$("$mkpdf" "$tmp/sample.txt" "$tmp/sample.pdf")
chars=$((200000 * pages / sample_pages + 2000))
items=$(make_text "$chars" "$tmp/referat-lang.txt")
got_pages=$("$mkpdf" "$tmp/referat-lang.txt" "$tmp/referat-lang.pdf")
if [ "$got_pages" -lt "$pages" ]; then
  chars=$((chars * pages / got_pages + 20000))
  items=$(make_text "$chars" "$tmp/referat-lang.txt")
  got_pages=$("$mkpdf" "$tmp/referat-lang.txt" "$tmp/referat-lang.pdf")
fi
text_bytes=$(stat -c %s "$tmp/referat-lang.txt")
pdf_bytes=$(stat -c %s "$tmp/referat-lang.pdf")
echo "document: $items items, $text_bytes bytes of text; the PDF $got_pages pages, $pdf_bytes bytes"

# measure ARGS...: "SECONDS MAX_RSS_KB" of one run of the indexer.
measure() {
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$index" --quiet "$@" >"$tmp/out"
  cat "$tmp/time"
}

# median LINES...: the line with the median first field.
median() {
  printf '%s\n' "$@" | sort -n | awk -v n="$#" 'NR == int((n + 1) / 2)'
}

declare -A result
for kind in txt pdf; do
  for mode in dump index; do
    runs_out=()
    for _ in $(seq "$runs"); do
      rm -rf "$tmp/index"
      if [ "$mode" = dump ]; then
        runs_out+=("$(measure --dump "$tmp/referat-lang.$kind")")
      else
        runs_out+=("$(measure --db "$tmp/index" "$tmp/referat-lang.$kind")")
      fi
    done
    result[$kind-$mode]=$(median "${runs_out[@]}")
    records=$(if [ "$mode" = dump ]; then wc -l <"$tmp/out"; else echo "-"; fi)
    echo "$kind $mode: ${result[$kind-$mode]} (seconds, peak RSS kB; runs: ${runs_out[*]})"
  done
done
# Both must give the same records.
"$index" --quiet --dump "$tmp/referat-lang.txt" | python3 -c '
import json, sys
print(sum(1 for _ in sys.stdin))' >"$tmp/n-txt"
"$index" --quiet --dump "$tmp/referat-lang.pdf" | python3 -c '
import json, sys
print(sum(1 for _ in sys.stdin))' >"$tmp/n-pdf"
echo "records: text $(cat "$tmp/n-txt"), pdf $(cat "$tmp/n-pdf")"

row() {
  local kind=$1 mode=$2
  read -r secs rss <<<"${result[$kind-$mode]}"
  read -r tsecs _ <<<"${result[txt-$mode]}"
  awk -v k="$kind" -v m="$mode" -v s="$secs" -v r="$rss" -v t="$tsecs" \
    'BEGIN { printf "| %s | %s | %.2f s | %.1f× | %.0f MB |\n", k, m, s, (t > 0 ? s / t : 0), r / 1024 }'
}

{
  echo
  echo "## PDF input: $got_pages pages, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "- Commit $(git rev-parse --short HEAD); release build (\`build-bench\`); median of $runs runs; peak RSS is GNU time's maximum resident set size (\`%M\`, as \`-v\` prints it)."
  echo "- One meeting of $items items (the corpus's plain-text minutes numbered on): text $text_bytes bytes;"
  echo "  the same text drawn by tests/tools/mkpdf: $got_pages pages, $pdf_bytes bytes. Records: text $(cat "$tmp/n-txt"), PDF $(cat "$tmp/n-pdf")."
  echo
  echo "| input | run | time | vs text | peak RSS |"
  echo "|---|---|--:|--:|--:|"
  for mode in dump index; do
    row txt $mode
    row pdf $mode
  done
} | tee -a bench/RESULTS.md
