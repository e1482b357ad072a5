#!/usr/bin/env bash
# torfs download on a small tmpfs: a torrent that cannot fit is refused at start in one line;
# a file system that fills up while downloading ends the download with exit 1 and one
# "disk full" line within seconds, no Java in the output; with room again a rerun completes.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

mkdir -p "$WORK/src/payload"
head -c 24000000 /dev/urandom > "$WORK/src/payload/data.bin"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$WORK/src/payload" "$WORK/t.torrent" 262144 v1 > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
FS="$WORK/fs"
small_tmpfs "$FS" 8m
DST="$FS/dst"

# 1. 24 MB into 8 MiB: refused at once, before any download
rc=0
timeout 30 torfs download "$WORK/t.torrent" --data "$DST" --port 6897 --peer 127.0.0.2:16881 \
  > "$WORK/start.log" 2>&1 || rc=$?
[[ $rc -eq 1 ]] || fail "download that cannot fit exited $rc: $(cat "$WORK/start.log")"
grep -qx "torfs: not enough space at $DST: [0-9.]* MiB free, [0-9.]* MiB still needed" "$WORK/start.log" \
  || fail "no one-line shortfall: $(cat "$WORK/start.log")"
[[ $(wc -l < "$WORK/start.log") -eq 1 ]] || fail "more than one line: $(cat "$WORK/start.log")"

# 2. room for it at start, then something else fills the file system while it downloads
mount -o remount,size=40m "$FS"
torfs download "$WORK/t.torrent" --data "$DST" --port 6897 --peer 127.0.0.2:16881 \
  --max-down 4000000 > "$WORK/full.log" 2>&1 &
DL=$!
on_exit "kill_pid $DL"
# the first blocks are on disk: past the start's check
wait_for bash -c '[[ $(stat -c %b "$1" 2>/dev/null || echo 0) -gt 0 ]]' _ "$DST/payload/data.bin" \
  || fail "download did not start: $(cat "$WORK/full.log")"
dd if=/dev/zero of="$FS/filler" bs=1M > /dev/null 2>&1 || true  # until ENOSPC
start=$(date +%s)
for _ in $(seq 300); do kill -0 "$DL" 2>/dev/null || break; sleep 0.1; done  # 30 s
kill -0 "$DL" 2>/dev/null && fail "download still runs 30 s after the disk filled: $(cat "$WORK/full.log")"
rc=0; wait "$DL" || rc=$?
took=$(( $(date +%s) - start ))
[[ $rc -eq 1 ]] || fail "download on a full disk exited $rc: $(cat "$WORK/full.log")"
n=$(grep -cx "torfs: disk full at $DST: No space left on device; downloading paused" "$WORK/full.log" || true)
[[ $n -eq 1 ]] || fail "expected one disk-full line, got $n: $(cat "$WORK/full.log")"
no_java "$WORK/full.log"

# 3. room again: the rerun finishes from what was kept (or re-checked) and the data is right
rm -f "$FS/filler"
mount -o remount,size=64m "$FS"
timeout 120 torfs download "$WORK/t.torrent" --data "$DST" --port 6897 --peer 127.0.0.2:16881 \
  > "$WORK/rerun.log" 2>&1 || fail "rerun with room failed: $(cat "$WORK/rerun.log")"
cmp "$WORK/src/payload/data.bin" "$DST/payload/data.bin" || fail "downloaded file differs"
no_java "$WORK/rerun.log"
cat "$WORK/full.log"
echo "ok: exit 1 ${took}s after the disk filled; $(grep -o 'downloaded [0-9]* bytes' "$WORK/rerun.log") on the rerun"
