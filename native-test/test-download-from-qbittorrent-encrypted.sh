#!/usr/bin/env bash
# torfs download from qbittorrent-nox with encryption forced (qBittorrent's "require
# encryption", Session\Encryption=1: plaintext handshakes are dropped, RC4 only): once with our
# default (--encryption prefer) and once with --encryption require; every file's sha256 equals
# the source, and a plaintext-only torfs gets nothing from it.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
source "$NT_ROOT/native-test/qbt_seed.sh"
command -v curl >/dev/null || skip "curl not installed"

make_payload "$WORK/src/payload"
torfs create "$WORK/src/payload" -o "$WORK/t.torrent" --piece-size 65536 > /dev/null
qbt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2 16881 1
for mode in prefer require; do
  timeout 120 torfs download "$WORK/t.torrent" --data "$WORK/dst-$mode" --port 6891 --bind 127.0.0.1 \
    --peer 127.0.0.2:16881 --no-dht --encryption "$mode" > "$WORK/$mode.log" 2>&1 \
    || { cat "$WORK/$mode.log"; fail "download with --encryption $mode failed"; }
  diff <(tree_sums "$WORK/src/payload") <(tree_sums "$WORK/dst-$mode/payload") || fail "$mode copy differs"
  no_java "$WORK/$mode.log"
done
# the seeder really refuses plaintext: without encryption nothing arrives
refuses_plaintext "$WORK/t.torrent" 127.0.0.2:16881 "a require-encryption qBittorrent"
echo ok
