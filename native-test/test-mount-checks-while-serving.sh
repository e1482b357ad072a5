#!/usr/bin/env bash
# A mount over data that nobody checked (another client's download, no resume state of ours;
# or ours after kill -9, whose state no longer matches the files): the tree and the reads do not
# wait for the whole check. The pieces on disk are hashed while the mount serves, a read's own
# pieces first; a wrong piece and the missing ones are fetched from a python3-libtorrent seeder,
# nothing else; every byte read is right; once checked, the resume state is saved and the next
# mount trusts it.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

MIB=1048576
mkdir -p "$WORK/src/p"
head -c $((300 * MIB)) /dev/urandom > "$WORK/src/p/a.bin"
head -c $((20 * MIB)) /dev/urandom > "$WORK/src/p/b.bin"
torfs create "$WORK/src/p" -o "$WORK/t.torrent" --piece-size 1M > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881

D="$WORK/data"; mkdir -p "$D"; cp -a "$WORK/src/p" "$D/"
# piece 5 wrong on disk; a.bin cut short after 250 MiB: pieces 250-299 missing
printf '\xff\xfe' | dd of="$D/p/a.bin" bs=1 seek=$((5 * MIB + 4096)) conv=notrunc status=none
cmp -s <(dd if="$D/p/a.bin" bs=1M skip=5 count=1 status=none) <(dd if="$WORK/src/p/a.bin" bs=1M skip=5 count=1 status=none) \
  && fail "the test did not damage piece 5"
truncate -s $((250 * MIB)) "$D/p/a.bin"
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true

M="$WORK/m"
mount_torfs "$WORK/t.torrent" "$M" --data "$D" --peer 127.0.0.2:16881 --no-dht 2> "$WORK/mount.err"
state=$(torfs status --mount "$M" | awk 'NR == 2 { print $2 }')
# a piece on disk near the end of the walk, then the damaged one and a missing one
cmp <(dd if="$M/p/a.bin" bs=1M skip=240 count=1 status=none) \
    <(dd if="$WORK/src/p/a.bin" bs=1M skip=240 count=1 status=none) || fail "piece 240 (on disk) reads wrong"
cmp <(dd if="$M/p/a.bin" bs=1M skip=5 count=1 status=none) \
    <(dd if="$WORK/src/p/a.bin" bs=1M skip=5 count=1 status=none) || fail "piece 5 (wrong on disk) reads wrong"
cmp <(dd if="$M/p/a.bin" bs=1M skip=280 count=1 status=none) \
    <(dd if="$WORK/src/p/a.bin" bs=1M skip=280 count=1 status=none) || fail "piece 280 (missing) reads wrong"
echo "state right after the mount: $state"
wait_for bash -c 'torfs status --mount "$1" | grep -q "seeding .*100.0%"' _ "$M" \
  || fail "never complete: $(torfs status --mount "$M" 2>&1)"
cmp "$WORK/src/p/a.bin" "$M/p/a.bin" || fail "a.bin reads wrong"
cmp "$WORK/src/p/b.bin" "$M/p/b.bin" || fail "b.bin reads wrong"
got=$(torfs status --mount "$M" --json | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["torrents"][0]["downloadedEver"])')
# 51 pieces were needed (piece 5 and 250-299); a block or two asked twice is fine, a re-fetch of the rest is not
(( got >= 51 * MIB && got < 56 * MIB )) || fail "fetched $got bytes; 51 MiB were missing or wrong"
LOG="$D/torfs.log"
# on the terminal if the check ended before the mount returned, in the log otherwise
cat "$WORK/mount.err" "$LOG" | grep -q "p: data checked: 269 of the 270 pieces found on disk are right; the rest are fetched$" \
  || fail "no line about the check: $(cat "$WORK/mount.err" "$LOG")"
no_java "$LOG"
torfs unmount "$M"
cmp "$WORK/src/p/a.bin" "$D/p/a.bin" || fail "a.bin on disk is wrong after the unmount"

# the state saved once the check ended is trusted: the remount is complete at once, silently
[[ -n $(find "$D" -name '*.resume') ]] || fail "no resume state saved: $(find "$D" -name '.*')"
mount_torfs "$WORK/t.torrent" "$M" --data "$D" --no-dht 2> "$WORK/mount2.err"
torfs status --mount "$M" | grep -q "seeding .*100.0%" || fail "the remount is not complete: $(torfs status --mount "$M" 2>&1)"
[[ ! -s "$WORK/mount2.err" ]] || fail "the remount printed: $(cat "$WORK/mount2.err")"
torfs unmount "$M"
echo "ok: reads of data found on disk go on while it is checked; only the missing and wrong pieces were fetched ($got bytes)"
