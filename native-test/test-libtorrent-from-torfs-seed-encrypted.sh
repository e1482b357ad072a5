#!/usr/bin/env bash
# A python3-libtorrent leecher forcing RC4 (MSE/PE) dials `torfs seed --encryption require`:
# our responder against libtorrent's initiator; the leecher's copy matches.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

make_payload "$WORK/src/payload"
torfs create "$WORK/src/payload" -o "$WORK/t.torrent" --piece-size 65536 > /dev/null
torfs seed "$WORK/t.torrent" --data "$WORK/src" --port 6894 --bind 127.0.0.2 --encryption require \
  > "$WORK/seed.log" 2>&1 &
SEED_PID=$!
on_exit "kill_pid $SEED_PID"
wait_for bash -c "exec 3<>/dev/tcp/127.0.0.2/6894" 2>/dev/null || { cat "$WORK/seed.log"; fail "torfs seed did not listen"; }
LT_ENCRYPTION=rc4 timeout 120 "$PY" "$NT_ROOT/native-test/lt_leech.py" "$WORK/t.torrent" "$WORK/dst" \
  127.0.0.1:16883 127.0.0.2:6894 > /dev/null || { cat "$WORK/seed.log"; fail "libtorrent download from torfs failed"; }
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$WORK/dst/payload") || fail "libtorrent's copy differs"
echo ok
