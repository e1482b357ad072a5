#!/usr/bin/env bash
# A hybrid torrent (python3-libtorrent: pad files in the v1 list) with nested dirs, unicode
# names and a file over 4 GiB, seeded by python3-libtorrent and mounted: the tail of the big
# file reads right while the download is under 10 %, and every file's sha256 through the
# mount equals the source. Pad files never show up.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

S="$WORK/src/payload"
mkdir -p "$S/disc 1/ünïcødé" "$S/extras"
big_sparse "$S/disc 1/huge.bin" $((4 * 1024 * 1024 * 1024 + 3 * 1024 * 1024 + 12345))
head -c 3333333 /dev/urandom > "$S/disc 1/ünïcødé/naïve.dat"
head -c 1000 /dev/urandom > "$S/extras/small.txt"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$S" "$WORK/t.torrent" 1048576 hybrid > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881

M="$WORK/mnt"
mount_torfs "$WORK/t.torrent" "$M" --data "$WORK/data" --port 6897 --peer 127.0.0.2:16881 --max-down 30000000
[[ -d "$M/payload/disc 1/ünïcødé" ]] || fail "tree not visible after mount returned"
[[ -z "$(find "$M" -name '.pad')" ]] || fail "pad files visible in the mount"
size=$(stat -c %s "$M/payload/disc 1/huge.bin")
[[ $size -eq $(stat -c %s "$S/disc 1/huge.bin") ]] || fail "size $size differs"

# the last MiB of the >4 GiB file, early
tail -c 1048576 "$M/payload/disc 1/huge.bin" | cmp - <(tail -c 1048576 "$S/disc 1/huge.bin") \
  || fail "tail of the big file differs"
pct=$(progress_pct "$M/payload")
(( pct >= 0 && pct < 10 )) || fail "tail read when $pct % was downloaded (want < 10 %)"
echo "tail read right at $pct % downloaded"

# remount without the limit (resumes from what the first mount verified), then the sha256
# of every file through the mount
torfs unmount "$M" || fail "unmount failed"
mountpoint -q "$M" && fail "still mounted after unmount"
mount_torfs "$WORK/t.torrent" "$M" --data "$WORK/data" --port 6897 --peer 127.0.0.2:16881
diff <(tree_sums "$S") <(tree_sums "$M/payload") || fail "files through the mount differ"
echo ok
