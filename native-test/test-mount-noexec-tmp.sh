#!/usr/bin/env bash
# On a machine whose temporary directory is mounted noexec (hardened servers mount /tmp so),
# Netty cannot load its epoll transport from there: torfs unpacks it into the cache instead, so
# the mount keeps its control socket (`torfs status`) and prints no warning about it.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"

small_tmpfs "$WORK/noexec-tmp" 16m
mount -o remount,noexec "$WORK/noexec-tmp" || skip "cannot remount a tmpfs noexec"
export XDG_CACHE_HOME="$WORK/cache"
unset XDG_RUNTIME_DIR

mkdir -p "$WORK/data/payload"
head -c 3000000 /dev/urandom > "$WORK/data/payload/a.bin"
torfs create "$WORK/data/payload" -o "$WORK/t.torrent" --piece-size 256K > /dev/null
M="$WORK/mnt"; mkdir -p "$M"
TORFS_MOUNT_JAVA_OPTS="-Djava.io.tmpdir=$WORK/noexec-tmp" \
  torfs mount "$WORK/t.torrent" "$M" --data "$WORK/data" --port 6900 --no-dht > "$WORK/mount.out" 2>&1 \
  || fail "mount failed: $(cat "$WORK/mount.out")"
on_exit "torfs unmount '$M' > /dev/null 2>&1 || fusermount -u -z '$M' 2>/dev/null || true"
cmp "$WORK/data/payload/a.bin" "$M/payload/a.bin" || fail "wrong bytes through the mount"
torfs status --mount "$M" --json > "$WORK/status.json" 2> "$WORK/status.err" \
  || fail "no control socket: $(cat "$WORK/status.err"); log: $(cat "$WORK/data/torfs.log")"
grep -q '"haveValid":3000000' "$WORK/status.json" || fail "status: $(cat "$WORK/status.json")"
! grep -i 'noexec\|cannot be executed' "$WORK/mount.out" "$WORK/data/torfs.log" \
  || fail "a warning about the native library"
ls "$WORK/cache/torfs/native" > /dev/null || fail "no native directory in the cache"
torfs unmount "$M"
echo "the mount kept its control socket with a noexec temporary directory"
