#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (the packages of the build and the
# server; tests/run-all.sh installs the tests' own), builds, indexes corpus/
# into data/index and serves it on http://127.0.0.1:8080 (PORT to change the
# port; HOST to listen on another address, HOST=0.0.0.0 on every one, so that
# colleagues can try it; CONTACT and STATEMENT_DATE for the accessibility
# statement's --contact and --statement-date).
set -euo pipefail
cd "$(dirname "$0")"

tools/setup-debian.sh
if [ -d build/meson-private ]; then
  meson setup --reconfigure build >/dev/null
else
  meson setup build --buildtype=release >/dev/null
fi
ninja -C build

# Exit status 1 (a document could not be parsed) still leaves an index of
# all the others to serve; 2 is a failure.
status=0
build/indexer/kommunesoeg-index --db data/index corpus/ || status=$?
[ "$status" -ge 2 ] && exit "$status"

host=${HOST:-127.0.0.1}
statement=()
[ -z "${CONTACT-}" ] || statement+=(--contact "$CONTACT")
[ -z "${STATEMENT_DATE-}" ] || statement+=(--statement-date "$STATEMENT_DATE")
case $host in *:*) shown="[$host]" ;; *) shown=$host ;; esac
echo "run.sh: serving on http://$shown:${PORT:-8080} (Ctrl-C stops)" >&2
exec build/server/kommunesoeg-server --db data/index --web build/web \
  --bind "$host" --port "${PORT:-8080}" "${statement[@]}"
