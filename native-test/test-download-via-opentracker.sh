#!/usr/bin/env bash
# torfs finds a python3-libtorrent seeder through opentracker, over HTTP and over UDP.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

make_payload "$WORK/src/payload"
torfs create "$WORK/src/payload" -o "$WORK/http.torrent" --piece-size 65536 \
  --tracker http://127.0.0.1:6969/announce > /dev/null
torfs create "$WORK/src/payload" -o "$WORK/udp.torrent" --piece-size 65536 \
  --tracker udp://127.0.0.1:6969 > /dev/null
start_opentracker "$(info_hash "$WORK/http.torrent")"
# libtorrent announces its listen port; the tracker sees it come from 127.0.0.2
lt_seed "$WORK/http.torrent" "$WORK/src" 127.0.0.2:16881
for kind in http udp; do
  timeout 120 torfs download "$WORK/$kind.torrent" --data "$WORK/dst-$kind" --port 6895 \
    || fail "download over the $kind tracker failed"
  diff <(tree_sums "$WORK/src/payload") <(tree_sums "$WORK/dst-$kind/payload") || fail "$kind copy differs"
done
echo ok
