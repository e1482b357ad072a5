#!/usr/bin/env bash
# Data that cannot be written (a read-only bind mount over part of a torrent's data, as a copy
# cut short on read-only media): a mount of it verifies and serves the pieces that are there;
# the first block it cannot store pauses downloading with one line (not a write and a log line
# per block fetched again and again), a read of a missing piece fails at once with EIO, and
# `torfs status` shows why. A seed of it serves what is there without a word about files it
# cannot create; `torfs download` into it exits 1 with that line. A mount of many
# (`--watch`) over a read-only data root with the torrent complete in it serves and seeds it.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

mkdir -p "$WORK/src/p"; head -c 8000000 /dev/urandom > "$WORK/src/p/a.bin"
torfs create "$WORK/src/p" -o "$WORK/t.torrent" --piece-size 256K > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
mkdir -p "$WORK/half/p"; head -c 3000000 "$WORK/src/p/a.bin" > "$WORK/half/p/a.bin"
B="$WORK/ro"; mkdir -p "$B"
mount --bind "$WORK/half" "$B" && on_exit "umount -l '$B'"
mount -o remount,bind,ro "$B" || skip "cannot remount a bind mount read-only"

M="$WORK/m"
# the mount's own files (log, pid, socket, resume state) go to DATA's stand-in under the
# cache root: DATA is read-only
export XDG_CACHE_HOME="$WORK/cache"
mount_torfs "$WORK/t.torrent" "$M" --data "$B" --peer 127.0.0.2:16881 --no-dht
# the first 11 pieces of 256 KiB are whole in the 3,000,000 bytes there
cmp <(head -c 2883584 "$WORK/src/p/a.bin") <(head -c 2883584 "$M/p/a.bin") || fail "the pieces on disk read wrong"
wait_for bash -c 'torfs status --mount "$1" | grep -q "error: cannot write at $2: .*Read-only file system; downloading paused"' _ "$M" "$B" \
  || fail "status does not say why: $(torfs status --mount "$M" 2>&1)"
start=$(date +%s.%N)
if dd if="$M/p/a.bin" of=/dev/null bs=64k skip=100 count=1 2> "$WORK/dd.err"; then
  fail "a read of a piece that cannot be stored succeeded"
fi
grep -q "Input/output error" "$WORK/dd.err" || fail "the read failed otherwise: $(cat "$WORK/dd.err")"
took=$(echo "$(date +%s.%N) - $start" | bc)
(( $(echo "$took < 5" | bc) )) || fail "the read of a missing piece took $took s"
sleep 3 # time for a flood, were there one
LOG=$(echo "$XDG_CACHE_HOME"/torfs/read-only/*/torfs.log)
[[ -f $LOG ]] || fail "no log of the mount under $XDG_CACHE_HOME: $(find "$XDG_CACHE_HOME")"
n=$(grep -c "cannot write at" "$LOG" || true)
[[ $n -eq 1 ]] || fail "expected one 'cannot write' line, got $n: $(tail -5 "$LOG")"
no_java "$LOG"
torfs unmount "$M"

# a seed of it serves what is there and has nothing to say about files it need not create
torfs seed "$WORK/t.torrent" --data "$B" --port 7105 --no-dht > "$WORK/seed.log" 2>&1 & sp=$!
on_exit "kill_pid $sp"
await_line "$WORK/seed.log" "seeding p" "$sp" 60 "seed of read-only data"
! grep -q "could not create" "$WORK/seed.log" || fail "the seed of read-only data warned: $(cat "$WORK/seed.log")"
kill_pid "$sp"

rc=0
timeout 60 torfs download "$WORK/t.torrent" --data "$B" --port 6897 --peer 127.0.0.2:16881 --no-dht \
  > "$WORK/dl.log" 2>&1 || rc=$?
[[ $rc -eq 1 ]] || fail "download into read-only data exited $rc: $(cat "$WORK/dl.log")"
grep -q "^torfs: cannot write at $B: .*Read-only file system; downloading paused$" "$WORK/dl.log" \
  || fail "download into read-only data said: $(cat "$WORK/dl.log")"
no_java "$WORK/dl.log"

h=$(torfs info "$WORK/t.torrent" --json | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["infoHash"])')
mkdir -p "$WORK/root/$h" "$WORK/watch"; cp -a "$WORK/src/p" "$WORK/root/$h/"; cp "$WORK/t.torrent" "$WORK/watch/"
R="$WORK/ro-root"; mkdir -p "$R"
mount --bind "$WORK/root" "$R" && on_exit "umount -l '$R'"
mount -o remount,bind,ro "$R" || skip "cannot remount a bind mount read-only"
M2="$WORK/m2"; mkdir -p "$M2"
torfs mount --watch "$WORK/watch" "$M2" --data "$R" --no-dht || fail "the mount of many over read-only data failed"
on_exit "torfs unmount '$M2' > /dev/null 2>&1 || fusermount -u -z '$M2' 2>/dev/null"
wait_for test -f "$M2/p/a.bin" || fail "the mount of many over read-only data shows no tree"
cmp "$WORK/src/p/a.bin" "$M2/p/a.bin" || fail "the mount of many over read-only data reads wrong bytes"
torfs status --mount "$M2" | grep -q "seeding .*100.0%" || fail "status: $(torfs status --mount "$M2" 2>&1)"
torfs unmount "$M2" || fail "unmount of the mount of many failed"
# its resume state was kept in the stand-in: the next start need not re-check read-only data
[[ -n $(find "$XDG_CACHE_HOME/torfs/read-only" -name "$h.resume") ]] \
  || fail "no resume state kept for read-only data: $(find "$XDG_CACHE_HOME")"
echo "ok: read-only data is served where whole, and the rest fails at once with one line"
