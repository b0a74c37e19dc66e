#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds, indexes corpus/ into data/index
# and serves it on http://127.0.0.1:8080 (PORT to change the port).
set -euo pipefail
cd "$(dirname "$0")"

tools/setup-debian.sh
if [ -d build/meson-private ]; then
  meson setup --reconfigure build >/dev/null
else
  meson setup build --buildtype=release >/dev/null
fi
ninja -C build

status=0
build/indexer/kommunesoeg-index --db data/index corpus/ || status=$?
[ "$status" -ge 2 ] && exit "$status"

if [ -x build/server/kommunesoeg-server ]; then
  exec build/server/kommunesoeg-server --db data/index --web web \
    --bind 127.0.0.1 --port "${PORT:-8080}"
fi
echo "run.sh: indexed corpus/ into data/index; the HTTP server arrives with the server issue, so this stops here." >&2
exit "$status"
