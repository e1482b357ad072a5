#!/usr/bin/env bash
# The mount seeds: after the original python3-libtorrent seeder stops, aria2c downloads the
# whole torrent from the mounted torfs (found through opentracker) while a reader streams a
# file through the mount.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"
command -v aria2c >/dev/null || skip "aria2c not installed"

S="$WORK/src/payload"
make_payload "$S"
head -c 20000000 /dev/urandom > "$S/media/stream.bin"
torfs create "$S" -o "$WORK/t.torrent" --piece-size 262144 \
  --tracker http://127.0.0.1:6969/announce > /dev/null
start_opentracker "$(info_hash "$WORK/t.torrent")"
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
M="$WORK/mnt"
mount_torfs "$WORK/t.torrent" "$M" --data "$WORK/data" --port 6901
wait_for bash -c "[[ \$(getfattr --only-values -n user.torfs.progress '$M/payload' | awk -F/ '{print (\$1==\$2)}') == 1 ]]" \
  || fail "the mount did not download everything"
kill_pid "$LT_PID"

(for _ in 1 2 3; do cmp "$M/payload/media/stream.bin" "$S/media/stream.bin" || exit 1; done) &
READER=$!
timeout 120 aria2c --enable-dht=false --enable-dht6=false --bt-enable-lpd=false \
  --enable-peer-exchange=false --seed-time=0 --listen-port=16884 -d "$WORK/dst" \
  --quiet=true "$WORK/t.torrent" || fail "aria2c could not download from the mount"
wait $READER || fail "the streaming reader got wrong bytes"
diff <(tree_sums "$S") <(tree_sums "$WORK/dst/payload") || fail "aria2c's copy differs"
echo ok
