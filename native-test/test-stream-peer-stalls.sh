#!/usr/bin/env bash
# The fast one of two seeders stops sending (connection open, requests taken, nothing sent) while
# a player streams through the mount: the blocks it holds that reads wait for must move to the
# other seeder. The mount's --read-timeout (10 s) is shorter than a request's own timeout (20 s),
# so a read left waiting on the stalled peer fails with EIO and so does the player; the read
# must instead carry on while that peer is still stalled.
source "$(dirname "$0")/lib.sh"
source "$NT_ROOT/native-test/swarm/swarm.sh"
in_loopback_netns "$@"

swarm_movie 100000000
swarm_profile custom:3M,1M
SWARM_FLAKY="0:stall:120@4"  # seeder 0 stalls 4 s in, for longer than the whole run
swarm_start "$WORK/t.torrent" "$WORK/src"
# lazy: only what is read is fetched, so the reads keep needing the stalled peer's blocks
mount_torfs "$WORK/t.torrent" "$WORK/mnt" --data "$WORK/data" --port 6896 --lazy --read-timeout 10

before=$(swarm_class_bytes | awk '$1 == 0 {print $2}')
rc=0
out=$("$PY" "$NT_ROOT/native-test/player/player.py" "$WORK/mnt/movie.bin" --bitrate 4M --duration 25 \
  --cache-ahead 4 --reference "$WORK/src/movie.bin") || rc=$?
echo "$out"
swarm_events
[[ $rc -eq 0 ]] || fail "player exit $rc: a read waited on the stalled peer"
grep -q '"verified": true' <<< "$out" || fail "bytes were not verified"
grep -q '"end": "duration"' <<< "$out" || fail "the player did not play 25 s"
swarm_events | grep -q ' 0 stall$' || fail "seeder 0 never stalled"
swarm_events | grep -q ' 0 unstall$' && fail "seeder 0 recovered before the end: the test proves nothing"
# seeder 0 was in use: it sent a good share before it stalled
sent0=$(swarm_class_bytes | awk '$1 == 0 {print $2}')
(( sent0 - before > 2000000 )) || fail "seeder 0 sent only $((sent0 - before)) bytes: it held nothing"
echo ok
