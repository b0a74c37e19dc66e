#!/usr/bin/env bash
# Installs the Debian 12 packages Kommunesøg needs, and only those that are
# missing.  Idempotent; silent when nothing is.
#   tools/setup-debian.sh          what building and serving need (./run.sh)
#   tools/setup-debian.sh --tests  that, and what the tests and the benchmark
#                                  need besides (tests/run-all.sh, bench/run.sh)
set -euo pipefail

case "${1-}" in
  '') tests=0 ;;
  --tests) tests=1 ;;
  *) echo "usage: tools/setup-debian.sh [--tests]" >&2; exit 2 ;;
esac

packages=(
  gcc g++ meson ninja-build pkg-config   # the build
  python3 python3-docutils               # meson; rst2man for the man pages (docs/)
  libxapian-dev                          # the index
  libmicrohttpd-dev libcjson-dev         # the server, JSON
  libxlsxwriter-dev                      # the server's xlsx exports (server/writer-xlsx.c)
  libpoppler-glib-dev                    # the indexer's PDF input (indexer/pdf.c)
  libjemalloc-dev                        # the indexer's allocator (indexer/meson.build)
  wdanish                                # the Danish word list compounds are split into
)
if [ "$tests" = 1 ]; then
packages+=(
  xapian-tools                           # xapian-tcpsrv for the shards; delve
  libcairo2-dev qpdf                     # the tests' PDFs (tests/tools/mkpdf.c draws, qpdf encrypts/turns)
  valgrind curl locales man-db           # the tests (locales: a da_DK.UTF-8 test; man -l)
  chromium fonts-dejavu-core             # the browser tests; DejaVu Sans for tests/tools/mkpdf.c too
  clang libclang-rt-14-dev               # the fuzzers of tests/fuzz/ (libFuzzer)
  wrk                                    # the load test and bench/run.sh
  python3-feedparser                     # the feeds read as a feed reader reads them
)
# Node.js runs the browser tests: Debian 12's is 18, which the pinned
# playwright-core supports.  A machine that has a node of its own (a newer
# one than Debian's) keeps it.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
fi

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
