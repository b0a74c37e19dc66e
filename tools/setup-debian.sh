#!/usr/bin/env bash
# Installs the Debian 12 packages Kommunesøg needs to build, run and test,
# and only those that are missing.  Idempotent; silent when nothing is.
set -euo pipefail

packages=(
  gcc g++ meson ninja-build pkg-config   # the build
  libxapian-dev xapian-tools             # the index (xapian-tools: delve, xapian-tcpsrv)
  libmicrohttpd-dev libcjson-dev         # the server, JSON
  libpoppler-glib-dev                    # the indexer's PDF input (indexer/pdf.c)
  libcairo2-dev qpdf                     # the tests' PDFs (tests/mkpdf.c draws, qpdf encrypts/turns)
  wdanish                                # the Danish word list compounds are split into
  python3 valgrind curl locales          # the tests (locales: a da_DK.UTF-8 test)
  chromium fonts-dejavu-core             # the browser tests; DejaVu Sans for tests/mkpdf.c too
  clang libclang-rt-14-dev               # the fuzzers of tests/fuzz/ (libFuzzer)
  wrk                                    # the load test and bench/run.sh
)
# Node.js runs the browser tests: Debian 12's is 18, which the pinned
# playwright-core supports.  A machine that has a node of its own (a newer
# one than Debian's) keeps it.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "setup-debian: missing ${missing[*]}; run this as root or install sudo" >&2
    exit 1
  fi
  sudo=(sudo)
fi
echo "setup-debian: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
