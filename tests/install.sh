#!/usr/bin/env bash
# meson install puts both programs, the web files and the synonyms where they belong, the
# installed programs run, and the systemd units in deploy/ pass
# systemd-analyze verify against the installed programs.
# Usage: install.sh BUILDDIR SOURCEDIR
set -euo pipefail
build=$1 src=$2
dest=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dest"' EXIT
pid=

meson install -C "$build" --destdir "$dest" --quiet >/dev/null
prefix=$(meson introspect "$build" --buildoptions |
  python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')
root=$dest$prefix
for f in bin/kommunesoeg-server bin/kommunesoeg-index share/kommunesoeg/web/index.html \
         share/kommunesoeg/web/sag.html share/kommunesoeg/web/item.html \
         share/kommunesoeg/synonyms.txt; do
  [ -e "$root/$f" ] || { echo "install: $f is missing under $root" >&2; exit 1; }
done
"$root/bin/kommunesoeg-server" --version | grep -q '^kommunesoeg-server [0-9]'
"$root/bin/kommunesoeg-index" --help >/dev/null

if command -v systemd-analyze >/dev/null; then
  units=$(mktemp -d -p "$dest")
  for u in "$src"/deploy/*.service "$src"/deploy/*.timer; do
    sed "s|/usr/local/bin/|$root/bin/|g" "$u" > "$units/$(basename "$u")"
  done
  # Only the units' own problems count, not those of the machine's
  # other units (a container may lack some).
  out=$(cd "$units" && systemd-analyze verify ./*.service ./*.timer 2>&1 || true)
  if grep -E "kommunesoeg" <<<"$out" | grep -v "^$" ; then
    echo "install: systemd-analyze verify found the problems above" >&2
    exit 1
  fi
fi
echo "install: ok ($root)"
