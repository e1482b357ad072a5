#!/usr/bin/env bash
# A mount with --cache-size streams a torrent four times larger than its cache from a
# python3-libtorrent seeder: every file's sha256 through the mount is right while the data
# directory's allocated size (du, sampled every 100 ms) never exceeds the cap plus one piece;
# a seek back to an evicted region fetches and verifies it again; aria2c leeching from the
# mount (and the seeder) during heavy eviction gets no wrong piece and finishes; kill -9 in the
# middle of eviction, then a remount, serves only verified bytes. Also the one-line errors: a
# cache of fewer than 8 pieces, and a data directory on a file system that cannot punch holes.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

MIB=$((1024 * 1024))
PIECE=$MIB
CAP=$((64 * MIB))
S="$WORK/src/payload"
mkdir -p "$S/sub"
# 256 MiB: random data, so a wrong or zeroed byte anywhere shows in the hashes
head -c $((120 * MIB + 12345)) /dev/urandom > "$S/a.bin"
head -c $((90 * MIB + 777)) /dev/urandom > "$S/sub/b.bin"
head -c $((46 * MIB)) /dev/urandom > "$S/c.bin"
have_tracker=0
if command -v opentracker >/dev/null && command -v aria2c >/dev/null; then
  have_tracker=1
  torfs create "$S" -o "$WORK/t.torrent" --piece-size 1M --tracker http://127.0.0.1:6969/announce > /dev/null
  start_opentracker "$(info_hash "$WORK/t.torrent")"
else
  torfs create "$S" -o "$WORK/t.torrent" --piece-size 1M > /dev/null
  echo "opentracker or aria2c missing: the aria2c part is skipped"
fi
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881

# one-line errors first: too small a cache, and a file system without hole punching
# (tmpfs punches holes on recent kernels; a FAT image would not, but needs mkfs.vfat)
out=$(torfs mount "$WORK/t.torrent" "$WORK/m0" --data "$WORK/d0" --cache-size 4M 2>&1) && fail "a 4 MiB cache was accepted"
[[ $(wc -l <<<"$out") -eq 1 && "$out" == *"too small"* ]] || fail "too small a cache: $out"
no_java <(echo "$out")
echo "too small: $out"
# a magnet's pieces are known only once its metadata arrived: the same line, exit 2, nothing mounted
mkdir -p "$WORK/m0"
rc=0; out=$(torfs mount "magnet:?xt=urn:btih:$(info_hash "$WORK/t.torrent")&x.pe=127.0.0.2:16881" "$WORK/m0" \
  --data "$WORK/d1" --port 6898 --cache-size 4M 2>&1) || rc=$?
[[ $rc -eq 2 && $(wc -l <<<"$out") -eq 1 && "$out" == *"too small"* ]] || fail "magnet, too small a cache: rc $rc: $out"
! mountpoint -q "$WORK/m0" || fail "a refused magnet mount left a mount behind"
# ramfs cannot punch holes (tmpfs and ext2-on-ext4 can)
mkdir -p "$WORK/ramfs"
if mount -t ramfs torfs-nt-ramfs "$WORK/ramfs" 2>/dev/null; then
  on_exit "umount -l '$WORK/ramfs'"
  out=$(torfs mount "$WORK/t.torrent" "$WORK/m0" --data "$WORK/ramfs/d" --cache-size 64M 2>&1) \
    && fail "a data directory on ramfs was accepted"
  [[ $(wc -l <<<"$out") -eq 1 && "$out" == *"cannot punch holes"* ]] || fail "ramfs: $out"
  no_java <(echo "$out")
  ! mountpoint -q "$WORK/m0" || fail "a refused mount left a mount behind"
  echo "no hole punching: $out"
else
  echo "cannot mount a ramfs: the no-hole-punching check is skipped"
fi

D="$WORK/data"
M="$WORK/mnt"
mount_torfs "$WORK/t.torrent" "$M" --data "$D" --port 6899 --peer 127.0.0.2:16881 --cache-size 64M
# du of the data directory every 100 ms, the largest value kept (the state directory's few KiB
# of resume state are not torrent data)
touch "$WORK/sampling"
( max=0
  while [[ -e "$WORK/sampling" ]]; do
    v=$(du -s --block-size=1 --exclude=.torfs "$D" 2>/dev/null | cut -f1) || v=0
    (( v > max )) && { max=$v; echo "$max" > "$WORK/du-max"; }
    sleep 0.1
  done ) &
SAMPLER=$!
on_exit "rm -f '$WORK/sampling'; wait $SAMPLER 2>/dev/null"

check_cap() {  # the largest sample so far against the cap plus one piece (one reader at a time)
  local max; max=$(cat "$WORK/du-max" 2>/dev/null || echo 0)
  (( max <= CAP + PIECE )) || fail "$1: data dir reached $max bytes, cap $CAP + one piece $PIECE"
  echo "$1: peak disk use $((max / MIB)) MiB (cap 64 MiB)"
}

start=$(date +%s.%N)
diff <(tree_sums "$S") <(tree_sums "$M/payload") || fail "sha256 through the capped mount differs"
echo "all files through the mount in $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $start}") s"
check_cap "sequential sha256sum"

# a.bin's head was evicted long ago: its progress shows it, and reading it again fetches it
# (the kernel's page cache of the mounted file is dropped first, or it would answer alone)
on_disk() { local v; v=$(getfattr --absolute-names --only-values -n user.torfs.progress "$1"); echo "${v%/*}"; }
before=$(on_disk "$M/payload/a.bin")
(( before < 75 * MIB )) || fail "a.bin still has $before bytes on disk after 256 MiB through a 64 MiB cache"
dd if="$M/payload/a.bin" iflag=nocache count=0 status=none
cmp <(head -c $((8 * MIB)) "$M/payload/a.bin") <(head -c $((8 * MIB)) "$S/a.bin") || fail "re-read of an evicted region differs"
after=$(on_disk "$M/payload/a.bin")
(( after >= before + 8 * MIB || after >= CAP - 8 * MIB )) || fail "re-reading 8 MiB of a.bin fetched nothing ($before -> $after bytes)"
echo "a.bin on disk: $((before / MIB)) MiB, after re-reading its evicted head $((after / MIB)) MiB"
dd if="$M/payload/a.bin" iflag=nocache count=0 status=none
for off in 3 97 110 20 61; do  # seeks back and forth, 4 MiB each
  cmp <(dd if="$M/payload/a.bin" bs=1M count=4 skip=$off status=none) \
      <(dd if="$S/a.bin" bs=1M count=4 skip=$off status=none) || fail "seek to ${off} MiB differs"
done
check_cap "seeks back to evicted regions"

if [[ $have_tracker -eq 1 ]]; then
  # aria2c leeches from the mount (found through the tracker) while a reader keeps evicting
  ( for f in c.bin sub/b.bin a.bin; do sha256sum "$M/payload/$f" > /dev/null; done ) &
  READER=$!
  timeout 120 aria2c --enable-dht=false --enable-dht6=false --bt-enable-lpd=false \
    --enable-peer-exchange=false --seed-time=0 --listen-port=16883 -d "$WORK/aria" \
    --log="$WORK/aria2.log" --log-level=info --quiet=true "$WORK/t.torrent" || fail "aria2c did not finish"
  wait "$READER" || fail "reader during the aria2c download failed"
  diff <(tree_sums "$S") <(tree_sums "$WORK/aria/payload") || fail "aria2c's copy differs"
  ! grep -qi "wrong piece" "$WORK/aria2.log" || fail "aria2c got a wrong piece: $(grep -i 'wrong piece' "$WORK/aria2.log" | head -3)"
  echo "aria2c: finished, no wrong piece"
  check_cap "aria2c leeching during eviction"
fi

# kill -9 in the middle of heavy eviction, then remount: nothing unverified is served
( sha256sum "$M/payload/a.bin" "$M/payload/sub/b.bin" > /dev/null 2>&1 ) &
READER=$!
sleep 1.5
pid=$(cat "$D/torfs.pid")
kill -9 "$pid"
wait "$READER" 2>/dev/null || true
fusermount -u -z "$M" 2>/dev/null || true
start=$(date +%s.%N)
mount_torfs "$WORK/t.torrent" "$M" --data "$D" --port 6899 --peer 127.0.0.2:16881 --cache-size 64M
echo "remount after kill -9 in $(awk "BEGIN{printf \"%.2f\", $(date +%s.%N) - $start}") s:" \
  "$(grep -ho 'resume state.*' "$D/torfs.log" | tail -1 | sed 's|/[^ ]*/||')"
diff <(tree_sums "$S") <(tree_sums "$M/payload") || fail "after kill -9 and a remount the data differs"
check_cap "after kill -9 and a remount"
no_java "$D/torfs.log"
echo ok
