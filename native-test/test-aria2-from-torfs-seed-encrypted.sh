#!/usr/bin/env bash
# aria2c --bt-require-crypto --bt-min-crypto-level=arc4 downloads from
# `torfs seed --encryption require`, found through opentracker; aria2c's copy matches.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
command -v aria2c >/dev/null || skip "aria2c not installed"

make_payload "$WORK/src/payload"
torfs create "$WORK/src/payload" -o "$WORK/t.torrent" --piece-size 65536 \
  --tracker http://127.0.0.1:6969/announce > /dev/null
start_opentracker "$(info_hash "$WORK/t.torrent")"
torfs seed "$WORK/t.torrent" --data "$WORK/src" --port 6894 --encryption require > "$WORK/seed.log" 2>&1 &
SEED_PID=$!
on_exit "kill_pid $SEED_PID"
wait_for bash -c "exec 3<>/dev/tcp/127.0.0.1/6894" 2>/dev/null || { cat "$WORK/seed.log"; fail "torfs seed did not listen"; }
sleep 1 # let the seeder's first announce reach the tracker
timeout 120 aria2c --enable-dht=false --enable-dht6=false --bt-enable-lpd=false \
  --enable-peer-exchange=false --seed-time=0 --listen-port=16883 -d "$WORK/dst" \
  --bt-require-crypto=true --bt-min-crypto-level=arc4 \
  --quiet=true "$WORK/t.torrent" || { cat "$WORK/seed.log"; fail "aria2c download from torfs failed"; }
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$WORK/dst/payload") || fail "aria2c's copy differs"
kill -TERM "$SEED_PID"
rc=0; wait "$SEED_PID" || rc=$?
[[ $rc -eq 0 ]] || { cat "$WORK/seed.log"; fail "torfs seed exited $rc on SIGTERM"; }
echo ok
