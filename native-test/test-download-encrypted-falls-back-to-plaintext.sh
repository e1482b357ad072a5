#!/usr/bin/env bash
# torfs download (--encryption prefer, the default) from a python3-libtorrent seeder that
# refuses encryption (in/out_enc_policy disabled): the encrypted attempt is dropped, the retry
# in plaintext downloads everything.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

make_payload "$WORK/src/payload"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$WORK/src/payload" "$WORK/t.torrent" 65536 v1 > /dev/null
LT_ENCRYPTION=off lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
timeout 60 torfs download "$WORK/t.torrent" --data "$WORK/dst" --port 6891 --bind 127.0.0.1 \
  --peer 127.0.0.2:16881 --encryption prefer
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$WORK/dst/payload") || fail "downloaded files differ"
# and --encryption require gets nothing from it
timeout 60 torfs download "$WORK/t.torrent" --data "$WORK/dst2" --port 6892 --bind 127.0.0.1 \
  --peer 127.0.0.2:16881 --encryption require > "$WORK/require.log" 2>&1 &
REQ_PID=$!
on_exit "kill_pid $REQ_PID"
sleep 5
kill -0 "$REQ_PID" 2>/dev/null || { cat "$WORK/require.log"; fail "--encryption require ended against a plaintext-only seeder"; }
used=$(du -sk "$WORK/dst2" 2>/dev/null | cut -f1)
(( ${used:-0} < 1000 )) || fail "--encryption require downloaded ${used} KiB from a plaintext-only seeder"
echo ok
