# bookworm-chroot.sh: the fresh Debian 12 that tools/check-bookworm.sh and
# tools/check-deb.sh check in, sourced by both (not run).  Sets nothing but
# the functions below; the caller has `set -euo pipefail` and is root.
#
#   ks_bookworm_base DIR MIRROR   a Debian 12 base system (debootstrap bookworm,
#                                 with the updates and security suites a fresh
#                                 install has) in DIR/base, made once and reused
#   ks_bookworm_root DIR ROOT     a fresh copy of it in ROOT, with the host's
#                                 resolver and its added certificate
#                                 authorities, and DIR/apt-archives made to
#                                 keep the .deb files apt downloads
#   ks_bookworm_reap ROOT         stops, by pid, whatever still runs in ROOT
#
# The mounts a check needs (/proc, /sys, /dev, DIR/apt-archives) are the
# caller's, in a mount namespace of its own (unshare --mount), so that they
# go when it ends.

ks_bookworm_log() { echo "${ks_bookworm_name:-bookworm-chroot}: $*" >&2; }

ks_bookworm_base() {
  local dir=$1 mirror=$2 base=$1/base
  if ! command -v debootstrap >/dev/null; then
    ks_bookworm_log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap \
      >/dev/null || { ks_bookworm_log "could not install debootstrap"; return 1; }
  fi
  mkdir -p "$dir"
  [ -f "$base/.ks-base-complete" ] && return 0
  ks_bookworm_log "debootstrap bookworm into $base"
  rm -rf "$base"
  if ! debootstrap bookworm "$base" "$mirror" >"$dir/debootstrap.log" 2>&1; then
    ks_bookworm_log "debootstrap failed; see $dir/debootstrap.log"
    return 1
  fi
  local security=${mirror%/debian}/debian-security
  cat >"$base/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
  touch "$base/.ks-base-complete"
}

ks_bookworm_root() {
  local dir=$1 root=$2
  if [ -e "$root" ]; then
    # A mount left by a check that was killed would make rm go into the host.
    if grep -q " $root/" /proc/self/mounts; then
      ks_bookworm_log "something is still mounted under $root; unmount it first"
      return 1
    fi
    rm -rf "$root"
  fi
  ks_bookworm_log "fresh root in $root"
  cp -a "$dir/base" "$root"
  mkdir -p "$dir/apt-archives/partial"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # The certificate authorities the host's administrator added (a proxy of
  # the network that TLS goes through, say) are the chroot's too:
  # ca-certificates, when it is installed, trusts what this directory holds.
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
}

ks_bookworm_reap() {
  local root=$1 p
  for p in /proc/[0-9]*; do
    if [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ]; then
      kill -KILL "${p#/proc/}" 2>/dev/null || true
    fi
  done
}
