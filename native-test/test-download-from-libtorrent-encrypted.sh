#!/usr/bin/env bash
# torfs download --encryption require from a python3-libtorrent seeder that forces RC4
# (in/out_enc_policy forced, allowed_enc_level rc4): every file's sha256 equals the source.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

make_payload "$WORK/src/payload"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$WORK/src/payload" "$WORK/t.torrent" 65536 v1 > /dev/null
LT_ENCRYPTION=rc4 lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
timeout 120 torfs download "$WORK/t.torrent" --data "$WORK/dst" --port 6891 --bind 127.0.0.1 \
  --peer 127.0.0.2:16881 --encryption require
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$WORK/dst/payload") || fail "downloaded files differ"
echo ok
