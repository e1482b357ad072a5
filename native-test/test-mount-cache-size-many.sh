#!/usr/bin/env bash
# One --cache-size for a mount of many torrents: two torrents given at mount time and a third
# added at runtime (torfs add), each seeded by python3-libtorrent, share one 32 MiB cap. Read two
# at a time through the mount, every file's sha256 is right while the data directory's
# allocated size (du, sampled every 100 ms) never exceeds the cap plus one piece per reader; a
# torrent whose pieces the cap cannot hold eight of is refused in one line at add time, the
# mount going on; a removed torrent (--delete-data) gives its bytes back to the others.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

MIB=$((1024 * 1024))
PIECE=$MIB
CAP=$((32 * MIB))
READERS=2
mk() { # mk NAME MiB IP: random data, its .torrent (1 MiB pieces), a seeder at 127.0.0.IP
  mkdir -p "$WORK/src$1"
  head -c $(($2 * MIB + 4321)) /dev/urandom > "$WORK/src$1/$1.bin"
  torfs create "$WORK/src$1/$1.bin" -o "$WORK/$1.torrent" --piece-size 1M > /dev/null
  lt_seed "$WORK/$1.torrent" "$WORK/src$1" "127.0.0.$3:16881"
}
mk a 72 2
mk b 56 3
mk c 40 4
HB=$(info_hash "$WORK/b.torrent")
M="$WORK/mnt"; D="$WORK/data"
mkdir -p "$M"
# a torrent of 8 MiB pieces cannot share a 32 MiB cap (eight of its pieces are 64 MiB): given
# at mount time, one line and nothing mounted; added later, that add is refused (below)
head -c $((16 * MIB)) /dev/urandom > "$WORK/big.bin"
torfs create "$WORK/big.bin" -o "$WORK/big.torrent" --piece-size 8M > /dev/null
rc=0; out=$(torfs mount "$WORK/a.torrent" "$WORK/big.torrent" "$M" --data "$D" --port 6920 --no-dht \
  --cache-size 32M 2>&1) || rc=$?
[[ $rc -eq 2 && $(wc -l <<<"$out") -eq 1 && "$out" == *"big.torrent: --cache-size 32.0 MiB is too small"* ]] \
  || fail "mount with too large pieces: rc $rc: $out"
! mountpoint -q "$M" || fail "a refused mount left a mount behind"
torfs mount "$WORK/a.torrent" "$WORK/b.torrent" "$M" --data "$D" --port 6920 --no-dht --cache-size 32M \
  --peer 127.0.0.2:16881 --peer 127.0.0.3:16881 --peer 127.0.0.4:16881 || fail "torfs mount failed"
on_exit "torfs unmount '$M' >/dev/null 2>&1 || fusermount -u -z '$M' 2>/dev/null"
wait_for test -f "$M/b.bin" || fail "b did not show: $(ls "$M")"

# du of the torrents' data every 100 ms (not the mount's log nor the resume states' few KiB)
touch "$WORK/sampling"
( max=0
  while [[ -e "$WORK/sampling" ]]; do
    v=$(du -s --block-size=1 --exclude=.torfs --exclude=mounts "$D" 2>/dev/null | cut -f1) || v=0
    (( v > max )) && { max=$v; echo "$max" > "$WORK/du-max"; }
    sleep 0.1
  done ) &
SAMPLER=$!
on_exit "rm -f '$WORK/sampling'; wait $SAMPLER 2>/dev/null"
check_cap() {
  local max; max=$(cat "$WORK/du-max" 2>/dev/null || echo 0)
  (( max <= CAP + READERS * PIECE )) || fail "$1: data reached $max bytes, cap $CAP + $READERS pieces"
  echo "$1: peak disk use $((max / MIB)) MiB (cap 32 MiB, $READERS readers)"
}
both() { # both X Y: sha256 of two torrents' files through the mount at once
  cmp <(sha256sum < "$WORK/src$1/$1.bin") <(sha256sum < "$M/$1.bin") > "$WORK/r1" 2>&1 & local j1=$!
  cmp <(sha256sum < "$WORK/src$2/$2.bin") <(sha256sum < "$M/$2.bin") > "$WORK/r2" 2>&1 & local j2=$!
  wait $j1 || fail "$1 through the mount differs: $(cat "$WORK/r1")"
  wait $j2 || fail "$2 through the mount differs: $(cat "$WORK/r2")"
}

start=$(date +%s.%N)
both a b
echo "a and b (128 MiB) through a 32 MiB cap in $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $start}") s"
check_cap "a and b at once"

# too large pieces for the cap: that add is refused in one line; the mount serves on
rc=0; out=$(torfs add "$WORK/big.torrent" --mount "$M" 2>&1) || rc=$?
[[ $rc -ne 0 && $(wc -l <<<"$out") -eq 1 && "$out" == *"too small"* ]] || fail "8 MiB pieces under a 32 MiB cap: rc $rc: $out"
no_java <(echo "$out")
echo "refused: $out"
[[ ! -e "$M/big.bin" ]] || fail "the refused torrent shows"

# c joins at runtime; b leaves with its data: a and c then have the whole cap
torfs add "$WORK/c.torrent" --mount "$M" > /dev/null || fail "torfs add c failed"
wait_for test -f "$M/c.bin" || fail "c did not show: $(ls "$M")"
torfs remove --delete-data b.bin --mount "$M" > /dev/null || fail "remove b failed"
wait_for test ! -e "$D/$HB" || fail "b's data not deleted"
dd if="$M/a.bin" iflag=nocache count=0 status=none
both c a
check_cap "c added at runtime, a again, b removed"

pid=$(cat "$D"/mounts/*/torfs.pid)
torfs unmount "$M" || fail "unmount failed"
wait_for bash -c "! kill -0 $pid 2>/dev/null" || fail "the mount process did not end"
no_java "$(echo "$D"/mounts/*/torfs.log)"
echo ok
