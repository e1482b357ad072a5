#!/usr/bin/env bash
# torfs download from an aria2c seeder, then from aria2c and libtorrent at once.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
command -v aria2c >/dev/null || skip "aria2c not installed"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

make_payload "$WORK/src/payload"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$WORK/src/payload" "$WORK/t.torrent" 32768 v1 > /dev/null
aria2_seed() {
  aria2c --enable-dht=false --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false \
    --bt-external-ip=127.0.0.3 --listen-port=16882 --seed-ratio=0 --seed-time=60 -V \
    --check-integrity=true -d "$WORK/src" --quiet=true "$WORK/t.torrent" > "$WORK/aria2-seed.log" 2>&1 &
  ARIA_PID=$!
  on_exit "kill_pid $ARIA_PID"
  wait_for bash -c "exec 3<>/dev/tcp/127.0.0.1/16882" 2>/dev/null || fail "aria2c seeder did not listen"
}
aria2_seed
timeout 120 torfs download "$WORK/t.torrent" --data "$WORK/dst1" --port 6892 --peer 127.0.0.1:16882
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$WORK/dst1/payload") || fail "files from aria2c differ"

lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
timeout 120 torfs download "$WORK/t.torrent" --data "$WORK/dst2" --port 6893 \
  --peer 127.0.0.1:16882 --peer 127.0.0.2:16881
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$WORK/dst2/payload") || fail "files from both seeders differ"
echo ok
