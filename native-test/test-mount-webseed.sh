#!/usr/bin/env bash
# Mounts whose only source is a web seed (BEP 19; nginx, no peers, no tracker): every file
# reads back with the source's sha256. A single-file torrent whose URL is the file itself, and
# a multi-file torrent with a '/'-ending URL (names with spaces and non-ASCII letters).
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
source "$NT_ROOT/native-test/webseed-nginx.sh"

W="$WORK/www"
mkdir -p "$W/files"
head -c 23456789 /dev/urandom > "$W/files/single.bin"
make_payload "$W/payload"
start_webseed_nginx "$W" 18080

# single file: the URL names the file itself (another name than the torrent's)
mkdir -p "$WORK/s"
cp "$W/files/single.bin" "$WORK/s/movie.bin"
torfs create "$WORK/s/movie.bin" -o "$WORK/single.torrent" --piece-size 262144 \
  --webseed http://127.0.0.1:18080/files/single.bin > /dev/null
M1="$WORK/mnt1"
mount_torfs "$WORK/single.torrent" "$M1" --data "$WORK/data1" --port 6911 --lazy
[[ "$(sha256sum < "$M1/movie.bin")" == "$(sha256sum < "$W/files/single.bin")" ]] \
  || fail "single-file torrent read through the mount differs"

# multi-file: URL ending in '/', torrent name and paths appended, percent-encoded
torfs create "$W/payload" -o "$WORK/multi.torrent" --piece-size 65536 \
  --webseed http://127.0.0.1:18080/ > /dev/null
M2="$WORK/mnt2"
mount_torfs "$WORK/multi.torrent" "$M2" --data "$WORK/data2" --port 6912 --lazy
[[ "$(tree_sums "$M2/payload")" == "$(tree_sums "$W/payload")" ]] \
  || fail "multi-file torrent read through the mount differs"
grep -q '%C3%BCn%C3%AFcode.dat' "$WORK/nginx-18080/access.log" || fail "no percent-encoded request in nginx's log"
no_java "$WORK/data2/torfs.log"
echo ok
