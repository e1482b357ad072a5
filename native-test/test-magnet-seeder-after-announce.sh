#!/usr/bin/env bash
# A magnet mounted before its only seeder is up: the mount announces to opentracker and learns
# nobody (opentracker's next answer is half an hour away); the python3-libtorrent seeder starts
# after, learns the mount from the tracker and dials it. The mount takes that connection for
# the metadata (it closed it before, and failed after its 120 s metadata timeout), shows the
# tree, and the file reads back right.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"
command -v opentracker > /dev/null || skip "opentracker not installed"
ANNOUNCE=http://127.0.0.1:6969/announce

S="$WORK/src/payload"; mkdir -p "$S"
head -c 3000000 /dev/urandom > "$S/a.bin"
torfs create "$S" -o "$WORK/t.torrent" --piece-size 65536 --tracker "$ANNOUNCE" > /dev/null
H=$(info_hash "$WORK/t.torrent")
start_opentracker "$H"
M="$WORK/mnt"; mkdir -p "$M"
TR=$(printf '%s' "$ANNOUNCE" | sed 's/:/%3A/g; s|/|%2F|g')
torfs mount "magnet:?xt=urn:btih:$H&dn=payload&tr=$TR" "$M" --data "$WORK/d" --no-dht --port 6944 \
  --metadata-timeout 60 > "$WORK/mount.out" 2>&1 &
MP=$!
on_exit "kill_pid $MP; torfs unmount '$M' >/dev/null 2>&1 || fusermount -u -z '$M' 2>/dev/null"
sleep 3  # the mount has announced and heard of nobody but itself
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
# the timeout is the mount's own (60 s): it returns with the tree or fails in one line
wait "$MP" || fail "the magnet mount failed: $(cat "$WORK/mount.out")"
[[ -f "$M/payload/a.bin" ]] || fail "no tree after the mount returned: $(ls -R "$M")"
cmp "$M/payload/a.bin" "$S/a.bin" || fail "the file differs through the mount"
torfs unmount "$M" || fail "unmount failed"
echo ok
