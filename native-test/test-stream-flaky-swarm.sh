#!/usr/bin/env bash
# A player streams 30 s of a file through a mount from the "flaky" swarm (seeders that choke for
# 20 s, stall without closing, leave mid-piece and come back) and seeks four times: every byte it
# reads is compared with the original and no read fails. No timing is asserted.
source "$(dirname "$0")/lib.sh"
source "$NT_ROOT/native-test/swarm/swarm.sh"
in_loopback_netns "$@"

swarm_movie 300000000
swarm_profile flaky
# the misbehaviour starts early, while the player is still buffering
SWARM_FLAKY="0:choke:20/40@3,3:choke:20/40@12,1:stall:10/30@6,2:leave:8/20@9"
swarm_start "$WORK/t.torrent" "$WORK/src"
mount_torfs "$WORK/t.torrent" "$WORK/mnt" --data "$WORK/data" --port 6895

rc=0
out=$("$PY" "$NT_ROOT/native-test/player/player.py" "$WORK/mnt/movie.bin" --bitrate 16M --duration 30 \
  --seek 7:0.6 --seek 14:0.2 --seek 21:0.85 --seek 26:0.4 --read-timeout 60 \
  --reference "$WORK/src/movie.bin") || rc=$?
echo "$out"
swarm_events
[[ $rc -eq 0 ]] || fail "player exit $rc"
grep -q '"verified": true' <<< "$out" || fail "bytes were not verified"
grep -q '"end": "duration"' <<< "$out" || fail "the player did not play 30 s"
# the misbehaviour did happen during the run
for what in choke stall leave rejoin; do
  swarm_events | grep -q " $what\$" || fail "no $what event during the run"
done
echo ok
