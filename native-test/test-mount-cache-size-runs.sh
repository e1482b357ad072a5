#!/usr/bin/env bash
# A capped cache learns where read runs end (issue 12): through a --cache-size mount of a
# torrent seeded by python3-libtorrent, dd reads 4 MiB ranges of a file at unaligned offsets,
# each with a file handle of its own. The first two teach torfs the run length; the next eight
# must download only the pieces they (and the kernel's readahead just past them) read, not the
# ~2 MiB past each range's end a proven window asked for before (the bytes that crossed
# loopback, within 3 % of protocol overhead). Then range 0 again, long evicted: the torrent's own
# account (`torfs status --json`, so the torrent is mounted as a mount of many) must show its
# pieces fetched again and read again, and no piece fetched twice for nothing (one evicted
# before it was read, or fetched again and not read). Every range's bytes are checked.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

MIB=$((1024 * 1024))
mkdir -p "$WORK/src"
head -c $((128 * MIB)) /dev/urandom > "$WORK/src/f.bin"
torfs create "$WORK/src/f.bin" -o "$WORK/f.torrent" --piece-size 1M > /dev/null
lt_seed "$WORK/f.torrent" "$WORK/src" 127.0.0.2:16881
M="$WORK/mnt"; D="$WORK/data"
mkdir -p "$WORK/watch" # empty: a mount of many, for its control API
mount_torfs "$WORK/f.torrent" "$M" --watch "$WORK/watch" --data "$D" --port 6921 --no-dht --cache-size 32M \
  --peer 127.0.0.2:16881
wait_for test -f "$M/f.bin" || fail "f.bin did not show"
rx() { awk '$1 == "lo:" {print $2}' /proc/net/dev; } # this namespace's loopback: the download

# range I: 4 MiB from piece 12*I + 100 KiB (ranges 8 pieces apart never share a piece)
range() {
  local off=$(( (12 * $1) * MIB + 100 * 1024 ))
  cmp <(dd if="$M/f.bin" bs=1M count=4 iflag=skip_bytes skip="$off" status=none) \
      <(dd if="$WORK/src/f.bin" bs=1M count=4 iflag=skip_bytes skip="$off" status=none) \
    || fail "range $1 at $off differs"
}
range 0; range 1
sleep 1 # what the learning ranges asked for has arrived
rx0=$(rx)
for i in 2 3 4 5 6 7 8 9; do range "$i"; done
sleep 2 # and anything these asked for past their ends would have arrived too
down=$(( $(rx) - rx0 ))
# each range touches 5 pieces ([100 KiB, 4 MiB + 100 KiB) of 12 MiB), and the kernel's readahead
# (~256 KiB past it) stays in the fifth; before, each range fetched two more
allowed=$(( 8 * 5 * MIB * 103 / 100 ))
echo "8 ranges of 4 MiB after 2 learning ones: downloaded $down B (their pieces: $((8 * 5 * MIB)) B)"
(( down <= allowed )) || fail "downloaded $down B for 8 ranges, more than their 40 MiB of pieces (+3 %)"
(( down >= 8 * 4 * MIB )) || fail "downloaded only $down B: the ranges were not read through torfs"

# 10 ranges of 5 pieces have gone through a 32 MiB cache: range 0's pieces are gone; read again
# (the kernel's page cache of the file dropped first, or it would answer)
dd if="$M/f.bin" iflag=nocache count=0 status=none
range 0
sleep 1
read -r refetched wasted < <(torfs status --json --mount "$M" | "$PY" -c '
import json, sys
c = json.load(sys.stdin)["torrents"][0]["cache"]
print(c["refetched"], c["refetchedWasted"])')
echo "range 0 again: fetched again $refetched B, of it not read again $wasted B"
(( refetched >= 4 * MIB )) || fail "range 0 read again, but only $refetched B were fetched again"
(( wasted == 0 )) || fail "$wasted B fetched twice for nothing"
echo ok
