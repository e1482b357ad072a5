#!/usr/bin/env bash
# `torfs download` whose only source is a web seed (BEP 19; nginx, no peers, no tracker):
# a single-file and a multi-file torrent ('/'-ending URL) come down with the source's sha256.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
source "$NT_ROOT/native-test/webseed-nginx.sh"

W="$WORK/www"
mkdir -p "$W/files"
head -c 23456789 /dev/urandom > "$W/files/single.bin"
make_payload "$W/payload"
start_webseed_nginx "$W" 18081

mkdir -p "$WORK/s"
cp "$W/files/single.bin" "$WORK/s/movie.bin"
torfs create "$WORK/s/movie.bin" -o "$WORK/single.torrent" --piece-size 262144 \
  --webseed http://127.0.0.1:18081/files/single.bin > /dev/null
timeout 120 torfs download "$WORK/single.torrent" --data "$WORK/d1" --port 6921 > "$WORK/d1.log" 2>&1 \
  || { cat "$WORK/d1.log"; fail "download of the single-file torrent failed"; }
[[ "$(sha256sum < "$WORK/d1/movie.bin")" == "$(sha256sum < "$W/files/single.bin")" ]] \
  || fail "single-file download differs"

torfs create "$W/payload" -o "$WORK/multi.torrent" --piece-size 65536 \
  --webseed http://127.0.0.1:18081/ > /dev/null
timeout 120 torfs download "$WORK/multi.torrent" --data "$WORK/d2" --port 6922 > "$WORK/d2.log" 2>&1 \
  || { cat "$WORK/d2.log"; fail "download of the multi-file torrent failed"; }
[[ "$(tree_sums "$WORK/d2/payload")" == "$(tree_sums "$W/payload")" ]] || fail "multi-file download differs"
no_java "$WORK/d2.log"
echo ok
