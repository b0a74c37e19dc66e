#!/usr/bin/env bash
# check-bookworm.sh [DIR]: the README's two commands on a fresh Debian 12, as a
# new user runs them on a clone of the project alone.
#
# A Debian 12 base system (debootstrap bookworm, with the updates and security
# suites a fresh install has) is made once in DIR/base (default: build-bookworm
# in the checkout) and reused.  Every check starts from a fresh copy of it,
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
base=$dir/base
root=$dir/root

die() { echo "check-bookworm: $*" >&2; exit 1; }
log() { echo "check-bookworm: $*" >&2; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mount)"
if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap \
    >/dev/null || die "could not install debootstrap"
fi
mkdir -p "$dir"
[ -z "$(git -C "$repo" status --porcelain)" ] ||
  log "warning: the checkout has uncommitted changes; HEAD is checked, not them"

# 1. The base system, once.
if [ ! -f "$base/.ks-base-complete" ]; then
  log "debootstrap bookworm into $base"
  rm -rf "$base"
  debootstrap bookworm "$base" "$mirror" >"$dir/debootstrap.log" 2>&1 ||
    die "debootstrap failed; see $dir/debootstrap.log"
  security=${mirror%/debian}/debian-security
  cat >"$base/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
  touch "$base/.ks-base-complete"
fi

# 2. A fresh copy of it, with the project alone in /src.
if [ -e "$root" ]; then
  # A mount left by a check that was killed would make rm go into the host.
  if grep -q " $root/" /proc/self/mounts; then
    die "something is still mounted under $root; unmount it first"
  fi
  rm -rf "$root"
fi
log "fresh root in $root"
cp -a "$base" "$root"
mkdir -p "$root/src/kommunesoeg" "$dir/apt-archives/partial"
git -C "$repo" archive HEAD | tar -x -C "$root/src/kommunesoeg"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The certificate authorities the host's administrator added (a proxy of the
# network that TLS goes through, say) are the chroot's too: ca-certificates,
# when setup-debian.sh installs it, trusts what this directory holds.
mkdir -p "$root/usr/local/share/ca-certificates"
cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
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
for p in /proc/[0-9]*; do
  if [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ]; then
    kill -KILL "${p#/proc/}" 2>/dev/null || true
  fi
done
echo "$last"
[[ $last =~ ^[0-9]+\ passed,\ 0\ failed ]]
