#!/usr/bin/env bash
# Installs the npm packages of the browser tests (tests/browser: playwright-core
# and axe-core, pinned in package-lock.json) when they are missing or the lock
# file changed.  Chromium itself is Debian's (tools/setup-debian.sh).
set -euo pipefail
cd "$(dirname "$0")/../tests/browser"

stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ]; then
  exit 0
fi
echo "setup-browser: npm ci in tests/browser" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
