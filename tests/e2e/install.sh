#!/usr/bin/env bash
# meson install puts both programs, the web files, the synonyms, the man pages
# and the systemd units where they belong: the installed programs run, the
# man pages render without a warning, and the units, whose ExecStart names
# the installed programs, pass systemd-analyze verify.
# Usage: install.sh BUILDDIR SOURCEDIR
set -euo pipefail
build=$1 src=$2
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --destdir "$dest" --quiet >/dev/null
option() {
  meson introspect "$build" --buildoptions |
    python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]==sys.argv[1]))' "$1"
}
prefix=$(option prefix)
bindir=$prefix/$(option bindir)
mandir=$prefix/$(option mandir)
root=$dest$prefix
units=lib/systemd/system
for f in bin/kommunesoeg-server bin/kommunesoeg-index share/kommunesoeg/web/index.html \
         share/kommunesoeg/web/sag.html share/kommunesoeg/web/item.html \
         share/kommunesoeg/synonyms.txt \
         "$units/kommunesoeg-server.service" "$units/kommunesoeg-index.service" \
         "$units/kommunesoeg-index.timer"; do
  [ -e "$root/$f" ] || { echo "install: $f is missing under $root" >&2; exit 1; }
done
"$dest$bindir/kommunesoeg-server" --version | grep -q '^kommunesoeg-server [0-9]'
"$dest$bindir/kommunesoeg-index" --help >/dev/null

for page in man1/kommunesoeg-index.1 man8/kommunesoeg-server.8 man7/kommunesoeg-query.7; do
  [ -s "$dest$mandir/$page" ] || { echo "install: $mandir/$page is missing" >&2; exit 1; }
  if command -v man >/dev/null; then
    out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$dest$mandir/$page" 2>&1 >/dev/null)
    [ -z "$out" ] || { echo "install: $page: $out" >&2; exit 1; }
  fi
done

# Every ExecStart of the units runs a program installed under the prefix.
for u in kommunesoeg-server.service kommunesoeg-index.service; do
  exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$root/$units/$u")
  case $exec_start in
    "$bindir"/*) [ -x "$dest$exec_start" ] ||
      { echo "install: $u: ExecStart=$exec_start is not installed" >&2; exit 1; } ;;
    *) echo "install: $u: ExecStart=$exec_start is not under $bindir" >&2; exit 1 ;;
  esac
done

if command -v systemd-analyze >/dev/null; then
  # The units as installed, their programs looked up under the scratch folder.
  verify=$(mktemp -d -p "$dest")
  for u in "$root/$units"/*; do
    sed "s|^ExecStart=$bindir/|ExecStart=$dest$bindir/|" "$u" >"$verify/$(basename "$u")"
  done
  # Only the units' own problems count, not those of the machine's
  # other units (a container may lack some).
  # Documentation=man:… is looked up among the installed man pages.
  out=$(cd "$verify" && MANPATH="$dest$mandir" systemd-analyze verify ./*.service ./*.timer 2>&1 || true)
  if grep -E "kommunesoeg" <<<"$out" | grep -v "^$" ; then
    echo "install: systemd-analyze verify found the problems above" >&2
    exit 1
  fi
fi
echo "install: ok ($root)"
