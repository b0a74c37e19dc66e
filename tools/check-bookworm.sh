#!/usr/bin/env bash
# check-bookworm.sh [DIR]: the README's two commands on a fresh Debian 12, as a
# new user runs them on a clone of the project alone.
#
# A Debian 12 base system (debootstrap bookworm, with the updates and security
# suites a fresh install has) is made once in DIR/base (default: build-bookworm
# in the checkout) and reused (tools/bookworm-chroot.sh, which
# tools/check-deb.sh shares).  Every check starts from a fresh copy of it,
# DIR/root, into which `git archive HEAD` is unpacked as /src/kommunesoeg with
# nothing beside it (no sibling folders, no node_modules, no build directory).  In a
# chroot of its own mount namespace (/proc, /sys, /dev, /dev/pts and a tmpfs
# /dev/shm mounted for the tests, gone when it ends) it runs
#   1. ./run.sh, until the server answers a search (curl), then stops it;
#   2. tests/run-all.sh,
# and prints run-all's last line, "N passed, N failed".  The .deb files apt
# downloads are kept in DIR/apt-archives for the next check (the packages are
# installed anew each time).  Needs root (debootstrap, chroot, mount) and the
# Debian mirror (MIRROR, default http://deb.debian.org/debian).  Takes long:
# the set-up installs every package, and run-all.sh is the whole suite.
# The log of each step is in DIR/: run.log, run-all.log.
#
# It checks the last commit (HEAD), not uncommitted changes.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=$(realpath -m "${1:-$repo/build-bookworm}")
mirror=${MIRROR:-http://deb.debian.org/debian}
root=$dir/root

die() { echo "check-bookworm: $*" >&2; exit 1; }
log() { echo "check-bookworm: $*" >&2; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mount)"
[ -z "$(git -C "$repo" status --porcelain)" ] ||
  log "warning: the checkout has uncommitted changes; HEAD is checked, not them"

# 1. The base system, once; 2. a fresh copy of it, with the project alone in /src.
ks_bookworm_name=check-bookworm
. "$repo/tools/bookworm-chroot.sh"
ks_bookworm_base "$dir" "$mirror" || exit 1
ks_bookworm_root "$dir" "$root" || exit 1
mkdir -p "$root/src/kommunesoeg"
git -C "$repo" archive HEAD | tar -x -C "$root/src/kommunesoeg"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# 3. In a mount namespace of its own: what is mounted goes when it ends.
export root dir port
unshare --mount --propagation private bash -euo pipefail -c '
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs -o mode=1777 shm "$root/dev/shm"
mount --bind "$dir/apt-archives" "$root/var/cache/apt/archives"
inside() {
  exec chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c "cd /src/kommunesoeg && $1"
}

echo "check-bookworm: ./run.sh (PORT=$port), until it serves a search" >&2
(inside "PORT=$port exec ./run.sh") >"$dir/run.log" 2>&1 &
server=$!
served=""
for _ in $(seq 3600); do
  if ! kill -0 "$server" 2>/dev/null; then
    break
  fi
  if curl -sf "http://127.0.0.1:$port/api/search?q=hjeml%C3%B8se" >"$dir/search.json" 2>/dev/null; then
    served=1
    break
  fi
  sleep 1
done
kill -TERM "$server" 2>/dev/null || true
wait "$server" || true
if [ -z "$served" ]; then
  echo "check-bookworm: ./run.sh did not serve; the end of $dir/run.log:" >&2
  tail -30 "$dir/run.log" >&2
  exit 1
fi
echo "check-bookworm: ./run.sh served: $(head -c 200 "$dir/search.json")" >&2

echo "check-bookworm: tests/run-all.sh (log: $dir/run-all.log)" >&2
(inside "tests/run-all.sh") >"$dir/run-all.log" 2>&1 || true
'
last=$(tail -n 1 "$dir/run-all.log")
# Whatever the suite left running in the chroot is stopped, by its pid.
ks_bookworm_reap "$root"
echo "$last"
[[ $last =~ ^[0-9]+\ passed,\ 0\ failed ]]
