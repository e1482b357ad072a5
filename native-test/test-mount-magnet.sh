#!/usr/bin/env bash
# Magnet links end to end against a python3-libtorrent seeder (no tracker, no DHT): the
# magnet's x.pe peer serves the metadata (ut_metadata), `torfs mount MAGNET` returns with the
# tree visible and every file reads right; the metadata is kept, so a remount with the seeder
# gone mounts at once; `info --save` writes a .torrent with the same info-hash; `download`
# of a magnet with so= fetches the selected file; bad magnets and a swarm that never answers
# fail in one line with nothing left mounted, and one nothing could answer (no tracker, no peer,
# no DHT) fails at once.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

make_payload "$WORK/src/payload"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$WORK/src/payload" "$WORK/t.torrent" 65536 v1 > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
H=$(info_hash "$WORK/t.torrent")
MAGNET="magnet:?xt=urn:btih:$H&dn=payload&x.pe=127.0.0.2:16881"

# info fetches the metadata and saves a .torrent with the same info-hash
torfs info "$MAGNET" --save "$WORK/fetched.torrent" > "$WORK/info.txt" 2> "$WORK/info.err" \
  || { cat "$WORK/info.err"; fail "torfs info MAGNET failed"; }
grep -q "info-hash: *$H" "$WORK/info.txt" || fail "info printed: $(cat "$WORK/info.txt")"
[[ $(info_hash "$WORK/fetched.torrent") == "$H" ]] || fail "saved .torrent has another info-hash"

# mount returns with the tree visible; every file reads right
M="$WORK/mnt"
mount_torfs "$MAGNET" "$M" --data "$WORK/data" --port 6901
[[ -f "$M/payload/media/big.bin" ]] || fail "tree not visible after mount returned"
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$M/payload") || fail "files through the mount differ"
[[ -f "$WORK/data/.torfs/$H.torrent" ]] || fail "metadata not kept in the data directory"
torfs unmount "$M" || fail "unmount failed"

# the seeder gone: the saved metadata mounts at once, and what was verified still reads
kill_pid "$LT_PID"
start=$(date +%s%N)
mount_torfs "$MAGNET" "$M" --data "$WORK/data" --port 6901
echo "offline remount: $(( ($(date +%s%N) - start) / 1000000 )) ms"
cmp "$M/payload/sub/small.txt" "$WORK/src/payload/sub/small.txt" || fail "offline remount read differs"
torfs unmount "$M" || fail "unmount failed"

# download of one selected file (BEP 53 so=): file indexes follow the torrent's file list
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
idx=$(torfs info --json "$WORK/t.torrent" | "$PY" -c '
import json, sys
files = json.load(sys.stdin)["files"]
print([i for i, f in enumerate(files) if f["path"].endswith("small.txt")][0])')
timeout 120 torfs download "magnet:?xt=urn:btih:$H&x.pe=127.0.0.2:16881&so=$idx" --data "$WORK/sel" \
  --port 6902 || fail "download of a selected file failed"
cmp "$WORK/sel/payload/sub/small.txt" "$WORK/src/payload/sub/small.txt" || fail "selected file differs"
big=$(du -k "$WORK/sel/payload/media/big.bin" | cut -f1)
(( big < 1024 )) || fail "unselected 5 MB file has $big KiB on disk"

# bad input: one line, exit 2, nothing mounted
for bad in "magnet:?dn=x" "magnet:?xt=urn:btih:1234" "magnet:?xt=urn:btih:$H&x.pe=127.0.0.2:99999"; do
  set +e; torfs mount "$bad" "$M" --data "$WORK/bad" > "$WORK/bad.out" 2>&1; rc=$?; set -e
  [[ $rc -eq 2 ]] || fail "'$bad' exit $rc: $(cat "$WORK/bad.out")"
  [[ $(wc -l < "$WORK/bad.out") -eq 1 ]] || fail "'$bad' printed more than one line: $(cat "$WORK/bad.out")"
  no_java "$WORK/bad.out"
  mountpoint -q "$M" && fail "'$bad' left a mount"
done

# nobody has the metadata: after 5 s one line says the mount waits, then a one-line failure
# at the timeout, exit 1, nothing mounted
NOBODY="magnet:?xt=urn:btih:$(printf '%040d' 7)&x.pe=127.0.0.9:16881"
set +e; torfs mount "$NOBODY" "$M" --data "$WORK/none" --metadata-timeout 7 > "$WORK/none.out" 2>&1; rc=$?; set -e
[[ $rc -eq 1 ]] || fail "metadata timeout exit $rc: $(cat "$WORK/none.out")"
[[ $(sed -n 1p "$WORK/none.out") == "torfs: waiting for the metadata of "*" (1 peer found so far); giving up after 7 s" ]] \
  || fail "no waiting line: $(cat "$WORK/none.out")"
[[ $(sed -n 2p "$WORK/none.out") == "torfs: no metadata for "*" after 7 s (1 peer found, none served it)" ]] \
  || fail "timeout said: $(cat "$WORK/none.out")"
[[ $(wc -l < "$WORK/none.out") -eq 2 ]] || fail "timeout printed more than two lines: $(cat "$WORK/none.out")"
mountpoint -q "$M" && fail "the timed-out mount is left"

# nothing could ever answer (no tracker, no peer, the DHT off): said at once, not after the timeout
LONELY="magnet:?xt=urn:btih:$(printf '%040d' 8)"
for cmd in "info $LONELY --no-dht" "mount $LONELY $M --data $WORK/lonely --no-dht"; do
  set +e; timeout 20 torfs $cmd > "$WORK/lonely.out" 2>&1; rc=$?; set -e
  [[ $rc -eq 2 && $(cat "$WORK/lonely.out") == "torfs: nothing to ask for the metadata of "*"the DHT is off"* ]] \
    || fail "'torfs ${cmd%% *}' of a magnet nobody can answer: exit $rc: $(cat "$WORK/lonely.out")"
  [[ $(wc -l < "$WORK/lonely.out") -eq 1 ]] || fail "more than one line: $(cat "$WORK/lonely.out")"
done
mountpoint -q "$M" && fail "a mount of a magnet nobody can answer is left"
echo ok
