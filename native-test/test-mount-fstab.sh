#!/usr/bin/env bash
# `mount -t fuse.torfs` and fstab lines, through util-linux's mount(8) (`mount -T FILE` reads
# another fstab, so /etc/fstab is never touched): -o options map onto `torfs mount` (peer=,
# no-dht, lazy, data=, port=), FUSE's go to FUSE (allow_other), mount(8)'s and systemd's are
# dropped (noauto, nofail, _netdev, x-systemd.automount); mount returns once the tree is there
# and umount(8) ends the mount process. Three ways in: the helper's command line run as mount(8)
# runs it (no PATH), mount.fuse3 running `torfs` from PATH, and /sbin/mount.fuse.torfs (the
# package's link); torfs, the helper link and the PATH entry are put in place for the test only.
# An unknown option is one line from torfs, exit non-zero, nothing mounted.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"
[[ -x /sbin/mount.fuse3 ]] || skip "fuse3's mount.fuse3 not installed"

S="$WORK/src/pack"
mkdir -p "$S/sub"
head -c 3000000 /dev/urandom > "$S/a.bin"
head -c 4321 /dev/urandom > "$S/sub/b.txt"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$S" "$WORK/t.torrent" 262144 v1 > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16882
M="$WORK/mnt"; mkdir -p "$M"
on_exit "grep -q ' $M ' /proc/mounts && umount -l '$M'"
# what torfs needs from fstab: its data, this seed only, a port of its own, only what is read
opts() { echo "data=$WORK/$1,no-dht,peer=127.0.0.2:16882,port=$2,lazy,read-timeout=20"; }

# mounted_then_umount WHAT DATA: mounted as fuse.torfs with the seed's bytes, served by a live
# mount process; umount(8) ends that process
mounted_then_umount() {
  local what=$1 data=$WORK/$2 pid
  grep -q " $M fuse.torfs " /proc/mounts || fail "$what: not mounted when mount returned"
  cmp "$M/pack/a.bin" "$S/a.bin" || fail "$what: a.bin differs through the mount"
  cmp "$M/pack/sub/b.txt" "$S/sub/b.txt" || fail "$what: b.txt differs through the mount"
  pid=$(cat "$data/torfs.pid")
  kill -0 "$pid" || fail "$what: mount process $pid is not running"
  umount "$M" || fail "$what: umount failed"
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && fail "$what: mount process still running after umount"
  grep -q " $M " /proc/mounts && fail "$what: still mounted after umount"
  return 0
}

# 1. the helper's command line as mount(8) runs it: no PATH, mount's rw and mount.fuse3's nodev,nosuid
rc=0
env -u PATH "$WORK/bin/torfs" "$WORK/t.torrent" "$M" -o "rw,$(opts d1 6931),nodev,nosuid" \
  > "$WORK/out" 2> "$WORK/err" || rc=$?
[[ $rc == 0 ]] || { cat "$WORK/err"; fail "helper form exited $rc"; }
[[ ! -s "$WORK/out" && ! -s "$WORK/err" ]] || fail "helper form printed: $(cat "$WORK/out" "$WORK/err")"
grep " $M fuse.torfs " /proc/mounts | grep -q "nodev,nosuid\|nosuid,nodev" || fail "nodev,nosuid not passed to FUSE"
mounted_then_umount "helper form" d1
echo "helper form: ok"

# 2. mount -t fuse.torfs through mount.fuse3, which runs `torfs` from the default PATH
if [[ ! -e /sbin/mount.fuse.torfs && ! -e /usr/local/bin/torfs ]]; then
  ln -s "$NT_ROOT/scripts/torfs" /usr/local/bin/torfs
  on_exit "rm -f /usr/local/bin/torfs"
  mount -t fuse.torfs -o "$(opts d2 6932)" "$WORK/t.torrent" "$M" || fail "mount -t fuse.torfs failed"
  rm -f /usr/local/bin/torfs
  mounted_then_umount "mount -t fuse.torfs" d2
  echo "mount -t fuse.torfs via mount.fuse3: ok"
else
  echo "mount -t fuse.torfs via mount.fuse3: not run (a torfs is installed on this machine)"
fi

# 3. an fstab line, through the package's /sbin/mount.fuse.torfs link
[[ ! -e /sbin/mount.fuse.torfs ]] || skip "/sbin/mount.fuse.torfs is installed on this machine"
ln -s "$NT_ROOT/scripts/torfs" /sbin/mount.fuse.torfs
on_exit "rm -f /sbin/mount.fuse.torfs"
printf '# not /etc/fstab\n%s %s fuse.torfs %s,allow_other,noauto,x-systemd.automount,nofail,_netdev 0 0\n' \
  "$WORK/t.torrent" "$M" "$(opts d3 6933)" > "$WORK/fstab"
mount -T "$WORK/fstab" "$M" > "$WORK/out" 2> "$WORK/err" || { cat "$WORK/err"; fail "mount -T fstab failed"; }
[[ ! -s "$WORK/out" && ! -s "$WORK/err" ]] || fail "mount -T printed: $(cat "$WORK/out" "$WORK/err")"
grep " $M fuse.torfs " /proc/mounts | grep -q allow_other || fail "allow_other not passed to FUSE"
mounted_then_umount "fstab line" d3
echo "fstab line via /sbin/mount.fuse.torfs: ok"

# 3b. a watch folder from fstab (`watch` makes SOURCE the folder): the launcher turns the helper
# form into `torfs mount --watch DIR MNT`, which mounts in the background like any mount
mkdir -p "$WORK/watch"
cp "$WORK/t.torrent" "$WORK/watch/"
printf '%s %s fuse.torfs watch,%s,noauto 0 0\n' "$WORK/watch" "$M" "$(opts d5 6935)" > "$WORK/fstab"
mount -T "$WORK/fstab" "$M" > "$WORK/out" 2> "$WORK/err" || { cat "$WORK/err"; fail "mount -T of a watch folder failed"; }
grep -q " $M fuse.torfs " /proc/mounts || fail "watch folder: not mounted when mount returned"
wait_for test -e "$M/pack/a.bin" || fail "watch folder: the torrent did not appear"
cmp "$M/pack/a.bin" "$S/a.bin" || fail "watch folder: a.bin differs through the mount"
pid=$(cat "$(find "$WORK/d5/mounts" -name torfs.pid | head -1)")
umount "$M" || fail "watch folder: umount failed"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "watch folder: mount process still running after umount"
echo "watch folder via fstab: ok"

# 4. an unknown option: torfs's one line, mount fails, nothing mounted, no mount process left
printf '%s %s fuse.torfs %s,allow_other,bogus=1 0 0\n' "$WORK/t.torrent" "$M" "$(opts d4 6934)" > "$WORK/fstab"
rc=0
mount -T "$WORK/fstab" "$M" > "$WORK/out" 2> "$WORK/err" || rc=$?
[[ $rc != 0 ]] || fail "a bogus option mounted"
[[ $(grep -c . "$WORK/err") == 1 ]] && grep -q "^torfs: unknown mount option 'bogus=1'" "$WORK/err" \
  || fail "want torfs's one line, got: $(cat "$WORK/err")"
grep -q " $M " /proc/mounts && fail "a bogus option left a mount"
[[ ! -e "$WORK/d4/torfs.pid" ]] || fail "a bogus option started a mount process"
echo "unknown option: exit $rc, $(cat "$WORK/err")"
echo ok
