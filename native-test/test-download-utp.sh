#!/usr/bin/env bash
# torfs download over uTP (BEP 29) only from a python3-libtorrent seeder that has TCP off:
# every file's sha256 equals the source. libtorrent's uTP is slow over loopback here, so the
# payload is small and the timeout generous.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

make_payload "$WORK/src/payload"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$WORK/src/payload" "$WORK/t.torrent" 65536 > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881 utp-only
timeout 300 torfs download "$WORK/t.torrent" --data "$WORK/dst" --port 6891 --bind 127.0.0.1 \
  --peer 127.0.0.2:16881 --transport utp
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$WORK/dst/payload") || fail "downloaded files differ"
echo ok
