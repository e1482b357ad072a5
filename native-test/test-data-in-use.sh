#!/usr/bin/env bash
# One process at a time serves a torrent's data directory: with a mount running over DATA (a
# python3-libtorrent seeder as its peer), a second mount of the same torrent over DATA, a
# `download` and a `seed` into it each fail at once with one line naming the holder's pid,
# mount nothing and touch nothing; a mount of another torrent over the same DATA is fine. After
# kill -9 of the mount, the lock it held is gone with it: a download into DATA completes. Data
# on a read-only file system is not locked: two seeds of it run side by side, and a mount of it
# (a read-only bind mount) keeps its pid file, log and socket elsewhere and serves it.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

make_payload "$WORK/src/payload"
torfs create "$WORK/src/payload" -o "$WORK/t.torrent" > /dev/null
head -c 300000 /dev/urandom > "$WORK/src/other.bin"
torfs create "$WORK/src/other.bin" -o "$WORK/other.torrent" > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
D="$WORK/data"; M1="$WORK/m1"; M2="$WORK/m2"; mkdir -p "$M1" "$M2"
mount_torfs "$WORK/t.torrent" "$M1" --data "$D" --peer 127.0.0.2:16881 --no-dht --lazy
pid=$(cat "$D/torfs.pid")
cmp "$WORK/src/payload/sub/small.txt" "$M1/payload/sub/small.txt" || fail "first mount reads wrong bytes"

refused() { # refused WHAT CMD...: CMD fails at once with the one line naming $pid
  local what=$1; shift
  set +e; timeout 30 "$@" > "$WORK/out" 2>&1; local rc=$?; set -e
  [[ $rc -eq 1 && $(wc -l < "$WORK/out") -eq 1 ]] || fail "$what: exit $rc: $(cat "$WORK/out")"
  grep -qF "torfs: $D: the data of payload is in use by another torfs process (pid $pid)" "$WORK/out" \
    || fail "$what said: $(cat "$WORK/out")"
  no_java "$WORK/out"
}
refused "a second mount" torfs mount "$WORK/t.torrent" "$M2" --data "$D" --peer 127.0.0.2:16881 --no-dht
mountpoint -q "$M2" && fail "the refused mount left a mount at $M2"
[[ -z $(ls -A "$M2") ]] || fail "the refused mount left something at $M2"
refused "a download" torfs download "$WORK/t.torrent" --data "$D" --peer 127.0.0.2:16881 --no-dht
refused "a seed" torfs seed "$WORK/t.torrent" --data "$D" --no-dht
# the first mount is untouched
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$M1/payload") || fail "the first mount's bytes changed"

# another torrent's data beside it: not blocked
mount_torfs "$WORK/other.torrent" "$M2" --data "$D" --no-dht
[[ -f "$M2/other.bin" ]] || fail "a mount of another torrent over the same data did not show"
torfs unmount "$M2"

# kill -9: the lock goes with the process
kill -9 "$pid"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
torfs unmount "$M1" > /dev/null 2>&1 || true # clears the stale mount
timeout 60 torfs download "$WORK/t.torrent" --data "$D" --peer 127.0.0.2:16881 --no-dht > "$WORK/dl.out" 2>&1 \
  || fail "download after kill -9 of the holder: $(cat "$WORK/dl.out")"
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$D/payload") || fail "the download after kill -9 is wrong"

# data on a read-only file system takes no lock (nothing can write there): two seeds share it
R="$WORK/ro"; small_tmpfs "$R" 20m
cp -a "$WORK/src/payload" "$R/"
mount -o remount,ro "$R" || skip "cannot remount a tmpfs read-only"
torfs seed "$WORK/t.torrent" --data "$R" --port 7101 --no-dht > "$WORK/ro1.log" 2>&1 & s1=$!
on_exit "kill_pid $s1"
torfs seed "$WORK/t.torrent" --data "$R" --port 7102 --no-dht > "$WORK/ro2.log" 2>&1 & s2=$!
on_exit "kill_pid $s2"
await_line "$WORK/ro1.log" "seeding payload" "$s1" 60 "seed of read-only data"
await_line "$WORK/ro2.log" "seeding payload" "$s2" 60 "second seed of read-only data"

# a mount of complete data through a read-only bind mount: nothing is written there, the
# mount's own files go to a state directory of its own, and it serves and stops cleanly
export XDG_CACHE_HOME="$WORK/cache" # where that mount's own files go (DATA's stand-in)
B="$WORK/ro-bind"; mkdir -p "$B"
mount --bind "$WORK/src" "$B" && on_exit "umount -l '$B'"
mount -o remount,bind,ro "$B" || skip "cannot remount a bind mount read-only"
before=$(cd "$WORK/src" && find . | sort | md5sum)
mount_torfs "$WORK/t.torrent" "$M2" --data "$B" --no-dht
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$M2/payload") || fail "the mount of read-only data reads wrong bytes"
torfs status --mount "$M2" > "$WORK/ro-status" 2>&1 || fail "status of the read-only data's mount: $(cat "$WORK/ro-status")"
grep -q "seeding .*100.0%" "$WORK/ro-status" || fail "status of the read-only data's mount: $(cat "$WORK/ro-status")"
torfs unmount "$M2" || fail "unmount of the read-only data's mount failed"
[[ $(cd "$WORK/src" && find . | sort | md5sum) == "$before" ]] || fail "the mount wrote into its read-only data"
echo "ok: a torrent's data is served by one process at a time (read-only data by any)"
