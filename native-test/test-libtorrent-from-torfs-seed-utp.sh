#!/usr/bin/env bash
# python3-libtorrent with TCP off downloads from `torfs seed --transport utp`: our uTP
# accepts, sends and closes as libtorrent expects; libtorrent's copy matches.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

make_payload "$WORK/src/payload"
torfs create "$WORK/src/payload" -o "$WORK/t.torrent" --piece-size 65536 > /dev/null
torfs seed "$WORK/t.torrent" --data "$WORK/src" --bind 127.0.0.1 --port 6894 --transport utp \
  > "$WORK/seed.log" 2>&1 &
SEED_PID=$!
on_exit "kill_pid $SEED_PID"
await_line "$WORK/seed.log" 'seeding' "$SEED_PID" 60 "torfs seed"
timeout 300 "$PY" "$NT_ROOT/native-test/lt_leech.py" "$WORK/t.torrent" "$WORK/dst" 127.0.0.2:16885 \
  127.0.0.1:6894 utp-only || { cat "$WORK/seed.log"; fail "libtorrent's download over uTP failed"; }
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$WORK/dst/payload") || fail "libtorrent's copy differs"
echo ok
