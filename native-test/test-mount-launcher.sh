#!/usr/bin/env bash
# `torfs mount` as users run it (scripts/torfs): the launcher starts the mount's JVM in the
# background and returns once the tree is up. Failures before that are one line on stderr
# with exit 2 and leave nothing mounted; after it, the mount's output goes to its log file,
# the mount process outlives the command in its own session, and unmount ends it with exit 0.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"

mkdir -p "$WORK/data/pack/sub"
head -c 3000000 /dev/urandom > "$WORK/data/pack/a.bin"
head -c 4321 /dev/urandom > "$WORK/data/pack/sub/b.txt"
torfs create "$WORK/data/pack" -o "$WORK/t.torrent" --piece-size 262144 > /dev/null
M="$WORK/mnt"; mkdir -p "$M"

# expect_one_line_exit2 WHAT CMD...: CMD fails with exit 2 and exactly one stderr line, no stdout
expect_one_line_exit2() {
  local what=$1; shift
  local rc=0
  "$@" > "$WORK/out" 2> "$WORK/err" || rc=$?
  [[ $rc == 2 ]] || { cat "$WORK/err"; fail "$what: exit $rc, want 2"; }
  [[ ! -s "$WORK/out" ]] || fail "$what: printed on stdout: $(cat "$WORK/out")"
  [[ $(wc -l < "$WORK/err") == 1 && $(head -1 "$WORK/err") == torfs:* ]] \
    || fail "$what: want one 'torfs: ...' line, got: $(cat "$WORK/err")"
  grep -q " $M " /proc/mounts && fail "$what: left something mounted"
  return 0
}

touch "$M/intruder"
expect_one_line_exit2 "non-empty mount point" torfs mount "$WORK/t.torrent" "$M" --data "$WORK/data"
grep -q "not empty" "$WORK/err" || fail "unexpected message: $(cat "$WORK/err")"
rm "$M/intruder"
echo "garbage" > "$WORK/bad.torrent"
expect_one_line_exit2 "broken .torrent" torfs mount "$WORK/bad.torrent" "$M" --data "$WORK/data"
expect_one_line_exit2 "missing mount point" torfs mount "$WORK/t.torrent" "$WORK/nowhere" --data "$WORK/data"
expect_one_line_exit2 "data inside the mount point" torfs mount "$WORK/t.torrent" "$M" --data "$M/data"
grep -q "is inside the mount point" "$WORK/err" || fail "unexpected message: $(cat "$WORK/err")"
[[ -z "$(ls -A "$M")" ]] || fail "the refused mount left $(ls -A "$M") in the mount point"

# a complete data dir mounts with no network at all
rc=0
torfs mount "$WORK/t.torrent" "$M" --data "$WORK/data" --port 6911 > "$WORK/out" 2> "$WORK/err" || rc=$?
[[ $rc == 0 ]] || { cat "$WORK/err"; fail "mount exited $rc"; }
on_exit "fusermount -u -z '$M' 2>/dev/null"
[[ ! -s "$WORK/out" && ! -s "$WORK/err" ]] || fail "mount printed: $(cat "$WORK/out" "$WORK/err")"
grep -q " $M fuse.torfs " /proc/mounts || fail "not mounted when the command returned"
cmp "$M/pack/a.bin" "$WORK/data/pack/a.bin" || fail "a.bin differs through the mount"
cmp "$M/pack/sub/b.txt" "$WORK/data/pack/sub/b.txt" || fail "b.txt differs through the mount"
pid=$(cat "$WORK/data/torfs.pid")
kill -0 "$pid" || fail "mount process $pid is not running"
[[ $(ps -o sid= -p "$pid" | tr -d ' ') == "$pid" ]] || fail "mount process is not in its own session"
[[ $(readlink "/proc/$pid/fd/2") == "$WORK/data/torfs.log" ]] \
  || fail "mount's stderr is $(readlink "/proc/$pid/fd/2"), want the log file"
torfs unmount "$M" || fail "unmount failed"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "mount process still running after unmount"
grep -q "unmounted $M" "$WORK/data/torfs.log" || fail "log lacks the unmount: $(cat "$WORK/data/torfs.log")"
echo ok
