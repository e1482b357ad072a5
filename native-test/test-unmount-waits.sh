#!/usr/bin/env bash
# `torfs unmount` returns once the mount's process has saved its state and exited, as umount of
# a disk returns once it is written: right after it the process is gone, its pid file too, and
# the data can be mounted or downloaded into again at once (no "data in use"). Both a mount of
# one torrent in the middle of its download and a mount of many (--watch).
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

mkdir -p "$WORK/src/payload" "$WORK/watch"
head -c 40000000 /dev/urandom > "$WORK/src/payload/data.bin"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$WORK/src/payload" "$WORK/t.torrent" 262144 v1 > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881

# ended PID WHAT: the process has exited (gone, or a zombie its parent has yet to reap)
ended() {
  [[ ! -e /proc/$1/stat ]] && return 0
  [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) == Z ]] || fail "$2: process $1 still running after torfs unmount"
}

M="$WORK/mnt"; mkdir -p "$M"
# 4 MB/s: the unmount lands in the middle of the download, with pieces to flush and record
torfs mount "$WORK/t.torrent" "$M" --data "$WORK/dst" --port 6898 --peer 127.0.0.2:16881 --no-dht \
  --max-down 4000000 || fail "mount failed"
on_exit "fusermount -u -z '$M' 2>/dev/null || true"
pid=$(cat "$WORK/dst/torfs.pid")
sleep 3
torfs unmount "$M" || fail "torfs unmount failed"
ended "$pid" "a mount of one torrent"
[[ ! -e $WORK/dst/torfs.pid ]] || fail "the pid file is still there after torfs unmount"
timeout 120 torfs download "$WORK/t.torrent" --data "$WORK/dst" --port 6899 --peer 127.0.0.2:16881 \
  > "$WORK/dl.log" 2>&1 || fail "a download into the data right after the unmount failed: $(cat "$WORK/dl.log")"
cmp "$WORK/src/payload/data.bin" "$WORK/dst/payload/data.bin" || fail "the download after the unmount is wrong"

cp "$WORK/t.torrent" "$WORK/watch/"
torfs mount --watch "$WORK/watch" "$M" --data "$WORK/many" --port 6898 --no-dht || fail "mount --watch failed"
for _ in $(seq 300); do [[ -f $M/payload/data.bin ]] && break; sleep 0.02; done
pid=$(cat "$WORK"/many/mounts/*/torfs.pid)
torfs unmount "$M" || fail "torfs unmount of the mount of many failed"
ended "$pid" "a mount of many"
echo "torfs unmount returned after both processes had exited"
