#!/usr/bin/env bash
# The README's first command, `scripts/mount.sh` with no arguments: the demo swarm mounts, its
# file reads back identical to the source, nothing of it tries the DHT's public routers (the
# demo's seeder and mount run with --no-dht and TORFS_LOOPBACK_ONLY), and stop-demo ends it.
# The first read does not wait out a retry of the seeder, which may still be checking its data.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
unset TORFS_LOOPBACK_ONLY  # the demo must set it itself, as a user runs it
export XDG_CACHE_HOME="$WORK/cache"
cd "$WORK"
on_exit "'$NT_ROOT/scripts/mount.sh' stop-demo > /dev/null 2>&1"
timeout 300 "$NT_ROOT/scripts/mount.sh" > "$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log"; fail "the demo failed"; }
grep -q "^mounted at $WORK/mnt/demo" "$WORK/demo.log" || { cat "$WORK/demo.log"; fail "the demo did not say where it mounted"; }
! grep -qi "bootstrap\|router\." "$WORK/demo.log" "$XDG_CACHE_HOME/torfs/demo/seed.log" \
  || fail "the demo tried the DHT's public routers: $(grep -hi 'bootstrap\|router\.' "$WORK/demo.log" "$XDG_CACHE_HOME/torfs/demo/seed.log")"
# the first read comes while the seeder may still be checking its 2.5 GB: the mount's
# handshake waits for that check (it was closed, and the read then waited 30 s for a retry);
# 20 s is a bound for a hang, far above the ~1 s it takes
timeout 20 cmp "$WORK/mnt/demo/torfs-demo/media/random-20MB.bin" "$XDG_CACHE_HOME/torfs/demo/src/torfs-demo/media/random-20MB.bin" \
  || fail "the demo file differs through the mount, or its first read took over 20 s"
# the status the demo suggests answers for it
"$NT_ROOT/scripts/torfs" status > "$WORK/status.out" 2>&1 && grep -qE "^[0-9a-f]{8} .* torfs-demo$" "$WORK/status.out" \
  || fail "torfs status on the demo: $(cat "$WORK/status.out")"
"$NT_ROOT/scripts/mount.sh" stop-demo > /dev/null
! grep -q " $WORK/mnt/demo " /proc/mounts || fail "still mounted after stop-demo"
echo ok
