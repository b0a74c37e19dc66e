#!/usr/bin/env bash
# check-deb.sh [DIR]: the Debian package, built and installed as municipal IT
# would, on a fresh Debian 12.
#
# In fresh copies of the Debian 12 base system that tools/check-bookworm.sh
# uses (tools/bookworm-chroot.sh; DIR defaults to build-bookworm in the
# checkout, and the .deb files apt downloads are kept in DIR/apt-archives):
#   1. DIR/deb-build: `git archive HEAD` alone, its Build-Depends installed
#      (apt-get build-dep), `dpkg-buildpackage -b`: the .deb is built, and
#      with it the quick suite (debian/rules);
#   2. lintian on the .deb, when the host has it: its tags are printed, and
#      an error (E:) fails the check;
#   3. DIR/deb-root: the .deb installed with apt, the accessibility
#      statement's contact preseeded (debconf) as an administrator answers it;
#      corpus/ copied to /srv/kommunesoeg/documents and indexed by the
#      ExecStart of the installed kommunesoeg-index.service, the server started
#      by the ExecStart of kommunesoeg-server.service with the options of
#      /etc/default/kommunesoeg (a free port added there) — both as the
#      kommunesoeg user, as the units run them (systemd does not run in a
#      chroot: their sandboxing is not applied here) — and searched over
#      loopback, with the statement showing the contact and the date of the
#      install.
# It prints what each step found and ends in "check-deb: passed" (status 0)
# or the step that failed.  Needs root (debootstrap, chroot, mount) and the
# Debian mirror (MIRROR, default http://deb.debian.org/debian).  The logs are
# in DIR/: deb-build.log, lintian.log, deb-install.log, deb-index.log,
# deb-server.log.  Not part of tests/run-all.sh, which runs as a user.
#
# It checks the last commit (HEAD), not uncommitted changes; DEB=FILE checks
# that .deb instead (steps 2 and 3 only).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=$(realpath -m "${1:-$repo/build-bookworm}")
mirror=${MIRROR:-http://deb.debian.org/debian}
build_root=$dir/deb-build
root=$dir/deb-root
contact=tilgaengelighed@kommune.example

die() { echo "check-deb: $*" >&2; exit 1; }
log() { echo "check-deb: $*" >&2; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mount)"
[ -z "$(git -C "$repo" status --porcelain)" ] ||
  log "warning: the checkout has uncommitted changes; HEAD is checked, not them"

ks_bookworm_name=check-deb
. "$repo/tools/bookworm-chroot.sh"
ks_bookworm_base "$dir" "$mirror" || exit 1

# Runs the commands $2 in the chroot $1, in a mount namespace of its own
# (what is mounted goes when it ends), as root with a clean environment.
in_chroot() {
  local r=$1 script=$2
  unshare --mount --propagation private bash -euo pipefail -c '
    r=$1 dir=$2 script=$3
    mount -t proc proc "$r/proc"
    mount -t sysfs sysfs "$r/sys"
    mount --rbind /dev "$r/dev"
    mount --bind "$dir/apt-archives" "$r/var/cache/apt/archives"
    exec chroot "$r" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
      DEBIAN_FRONTEND=noninteractive \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      bash -euo pipefail -c "$script"
  ' in_chroot "$r" "$dir" "$script"
}

# 1. The build, from the commit alone, with only its Build-Depends (or the
# .deb of DEB, built before).
if [ -n "${DEB-}" ]; then
  deb=$(realpath "$DEB")
  [ -f "$deb" ] || die "DEB=$DEB is no file"
  log "checking $deb, built before"
else
ks_bookworm_root "$dir" "$build_root" || exit 1
mkdir -p "$build_root/src/kommunesoeg"
git -C "$repo" archive HEAD | tar -x -C "$build_root/src/kommunesoeg"
log "dpkg-buildpackage -b in $build_root (log: $dir/deb-build.log)"
if ! in_chroot "$build_root" '
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends build-essential dpkg-dev >/dev/null
    apt-get build-dep -y -qq /src/kommunesoeg >/dev/null
    cd /src/kommunesoeg && dpkg-buildpackage -b -us -uc' >"$dir/deb-build.log" 2>&1; then
  tail -30 "$dir/deb-build.log" >&2
  die "dpkg-buildpackage failed; see $dir/deb-build.log"
fi
ks_bookworm_reap "$build_root"
debs=("$build_root"/src/kommunesoeg_*.deb)
deb=""
for d in "${debs[@]}"; do
  case $d in *-dbgsym_*) ;; *) deb=$d ;; esac
done
[ -f "$deb" ] || die "no .deb in $build_root/src"
fi
log "the package: $(basename "$deb") ($(stat -c %s "$deb") bytes):"
dpkg-deb --contents "$deb" | awk '{print "  " $6}' | grep -E 'bin/|\.service|\.timer|man[0-9]/|web/index' >&2

# 2. lintian, if the host has it.
if command -v lintian >/dev/null; then
  lintian --info "$deb" >"$dir/lintian.log" 2>&1 || true
  log "lintian: $(grep -c '^E:' "$dir/lintian.log" || true) errors," \
    "$(grep -c '^W:' "$dir/lintian.log" || true) warnings"
  grep -E '^[EW]:' "$dir/lintian.log" | sed 's/^/  /' >&2 || true
  if grep -q '^E:' "$dir/lintian.log"; then die "lintian found errors"; fi
else
  log "lintian is not installed: not run"
fi

# 3. Installed on a fresh Debian 12, indexing and serving as the units would.
ks_bookworm_root "$dir" "$root" || exit 1
mkdir -p "$root/tmp/deb" "$root/srv/kommunesoeg/documents"
cp "$deb" "$root/tmp/deb/"
cp -r "$repo/corpus/." "$root/srv/kommunesoeg/documents/"
log "apt install $(basename "$deb") in $root (log: $dir/deb-install.log)"
if ! in_chroot "$root" "
    apt-get update -qq
    echo 'kommunesoeg kommunesoeg/contact string $contact' | debconf-set-selections
    apt-get install -y --no-install-recommends /tmp/deb/$(basename "$deb")" \
    >"$dir/deb-install.log" 2>&1; then
  tail -30 "$dir/deb-install.log" >&2
  die "apt install failed; see $dir/deb-install.log"
fi
unit_dir=$root/lib/systemd/system
for f in /usr/bin/kommunesoeg-index /usr/bin/kommunesoeg-server \
         /usr/share/kommunesoeg/web/index.html /usr/share/kommunesoeg/synonyms.txt \
         /usr/share/man/man1/kommunesoeg-index.1.gz /usr/share/man/man8/kommunesoeg-server.8.gz \
         /usr/share/man/man7/kommunesoeg-query.7.gz /etc/default/kommunesoeg \
         /lib/systemd/system/kommunesoeg-server.service \
         /lib/systemd/system/kommunesoeg-index.service /lib/systemd/system/kommunesoeg-index.timer; do
  [ -e "$root$f" ] || die "$f is not installed"
done
user=$(chroot "$root" getent passwd kommunesoeg) || die "no kommunesoeg user"
state=$(chroot "$root" stat -c '%U %a' /var/lib/kommunesoeg) || die "no /var/lib/kommunesoeg"
[ "$state" = "kommunesoeg 750" ] || die "/var/lib/kommunesoeg is $state, not kommunesoeg 750"
enabled=$(find "$root/etc/systemd/system" -name 'kommunesoeg-*' -printf '%f ' | xargs -n1 | sort -u | xargs)
log "installed: user $user; /var/lib/kommunesoeg $state; enabled: $enabled"
log "/etc/default/kommunesoeg: $(grep '^KS_SERVER_OPTIONS' "$root/etc/default/kommunesoeg")"

exec_start() { sed -n 's/^ExecStart=//p' "$unit_dir/$1"; }
index_cmd=$(exec_start kommunesoeg-index.service)
server_cmd=$(exec_start kommunesoeg-server.service)
unit_user=$(sed -n 's/^User=//p' "$unit_dir/kommunesoeg-server.service")
[ "$unit_user" = kommunesoeg ] || die "the server unit runs as $unit_user"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The administrator's way to another port: a later --port in the options.
sed -i "s/^KS_SERVER_OPTIONS=\"\(.*\)\"/KS_SERVER_OPTIONS=\"\1 --port $port\"/" \
  "$root/etc/default/kommunesoeg"

log "index: $index_cmd"
status=0
in_chroot "$root" "runuser -u $unit_user -- $index_cmd" >"$dir/deb-index.log" 2>&1 || status=$?
# SuccessExitStatus=1: a document that could not be parsed is not a failure.
[ "$status" -le 1 ] || { tail -20 "$dir/deb-index.log" >&2; die "the indexer failed ($status)"; }

log "server: $server_cmd (KS_SERVER_OPTIONS from /etc/default/kommunesoeg)"
(in_chroot "$root" "set -a; . /etc/default/kommunesoeg; set +a
                    eval \"exec runuser -u $unit_user -- $server_cmd\"") \
  >"$dir/deb-server.log" 2>&1 &
server=$!
served=""
for _ in $(seq 60); do
  kill -0 "$server" 2>/dev/null || break
  if curl -sf "http://127.0.0.1:$port/api/search?q=hjeml%C3%B8se" >"$dir/deb-search.json" 2>/dev/null; then
    served=1
    break
  fi
  sleep 1
done
statement=$(curl -sf "http://127.0.0.1:$port/tilgaengelighed.html" || true)
kill -TERM "$server" 2>/dev/null || true
wait "$server" || true
ks_bookworm_reap "$root"
[ -n "$served" ] || { tail -20 "$dir/deb-server.log" >&2; die "the installed server did not serve"; }
total=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["total"])' "$dir/deb-search.json")
[ "$total" -gt 0 ] || die "the search of hjemløse found nothing"
log "search q=hjemløse over loopback: $total hits; server log: $(head -1 "$dir/deb-server.log")"
grep -q "mailto:$contact" <<<"$statement" || die "the statement does not show the contact $contact"
# The date the postinst wrote (the day of the install), as the page writes it.
date=$(sed -n 's/^KS_SERVER_OPTIONS=.*--statement-date \([0-9-]*\).*/\1/p' "$root/etc/default/kommunesoeg")
[ -n "$date" ] || die "the postinst wrote no --statement-date"
months=(januar februar marts april maj juni juli august september oktober november december)
IFS=- read -r y m d <<<"$date"
danish="$((10#$d)). ${months[$((10#$m - 1))]} $y"
grep -q "gennemgået den $danish\." <<<"$statement" || die "the statement does not show the date $danish"
log "the statement: $(grep -o 'kontakt <a[^>]*>[^<]*</a>' <<<"$statement");" \
  "$(grep -o 'senest gennemgået den [^<]*' <<<"$statement")"
echo "check-deb: passed"
