#!/usr/bin/env bash
# A mount on a small tmpfs: a non-lazy mount that cannot fit warns in one line at start; once
# the file system is full, a verified file is still served and a read of a missing piece fails
# at once (not after --read-timeout); with room again downloading resumes by itself.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

S="$WORK/src/payload"
mkdir -p "$S"
head -c $((8 * 262144)) /dev/urandom > "$S/a.bin"  # whole pieces: verified on its own
head -c 16000000 /dev/urandom > "$S/b.bin"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$S" "$WORK/t.torrent" 262144 v1 > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
FS="$WORK/fs"
small_tmpfs "$FS" 12m
M="$WORK/mnt"

# 1. 16 MB to fetch, ~12 MiB free: a non-lazy mount says so once, on the terminal when it knows
#    before the tree shows, else in its log (after the time), and serves
mkdir -p "$M"
torfs mount "$WORK/t.torrent" "$M" --data "$FS/warn" --port 6899 --peer 127.0.0.2:16881 --max-down 1 \
  2> "$WORK/mount.err" || fail "mount failed: $(cat "$WORK/mount.err")"
on_exit "torfs unmount '$M' >/dev/null 2>&1 || fusermount -u -z '$M' 2>/dev/null"
warned() { cat "$WORK/mount.err" "$FS/warn/torfs.log" 2>/dev/null | grep "not enough space"; }
wait_for warned > /dev/null || fail "no shortfall warning: $(cat "$WORK/mount.err" "$FS/warn/torfs.log")"
[[ $(warned | wc -l) -eq 1 ]] || fail "more than one shortfall line: $(warned)"
warned | grep -qE "^([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+ )?torfs: not enough space at $FS/warn: [0-9.]+ MiB free, [0-9.]+ MiB still needed; serving what fits \(--cache-size SIZE downloads only what is read, within SIZE\)$" \
  || fail "shortfall line: $(warned)"
echo "warned: $(warned)"
torfs unmount "$M" > /dev/null
rm -rf "$FS/warn"

# 2. a.bin as another client left it; the file system then fills up
mkdir -p "$FS/data/payload"
cp "$S/a.bin" "$FS/data/payload/"
mount_torfs "$WORK/t.torrent" "$M" --data "$FS/data" --port 6899 --peer 127.0.0.2:16881 --lazy --read-timeout 100
cmp "$M/payload/a.bin" "$S/a.bin" || fail "a.bin through the mount differs"
dd if=/dev/zero of="$FS/filler" bs=1M > /dev/null 2>&1 || true  # until ENOSPC
for i in 1 2; do
  start=$(date +%s.%N)
  rc=0
  timeout 60 dd if="$M/payload/b.bin" of=/dev/null bs=64k skip=$((100 * i)) count=1 2> "$WORK/read.err" || rc=$?
  secs=$(awk "BEGIN{printf \"%.2f\", $(date +%s.%N) - $start}")
  [[ $rc -ne 0 && $rc -ne 124 ]] || fail "read $i of a missing piece on a full disk: exit $rc after ${secs}s"
  grep -qE "Input/output error|No space left on device" "$WORK/read.err" || fail "read $i: $(cat "$WORK/read.err")"
  awk "BEGIN{exit !($secs < 20)}" || fail "read $i of a missing piece took ${secs}s on a full disk"
  echo "read $i of a missing piece on a full disk failed after ${secs}s: $(tail -1 "$WORK/read.err")"
done
cmp "$M/payload/a.bin" "$S/a.bin" || fail "a.bin is no longer served on a full disk"

# 3. room again (for all of b.bin): the mount notices by itself, and reads fetch what they need
rm -f "$FS/filler"
mount -o remount,size=64m "$FS"
wait_for grep -q "downloading resumed" "$FS/data/torfs.log" || fail "no resume: $(cat "$FS/data/torfs.log")"
timeout 60 cmp "$M/payload/b.bin" "$S/b.bin" || fail "b.bin through the mount differs after the resume"
no_java "$FS/data/torfs.log"
cat "$FS/data/torfs.log"
echo ok
