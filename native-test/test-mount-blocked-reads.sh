#!/usr/bin/env bash
# A read that nobody can serve: --read-timeout 3 gives EIO after about 3 s; Ctrl-C (SIGINT)
# on a blocked cat returns promptly; unmount with a blocked reader releases it and completes.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"

mkdir -p "$WORK/src/payload"
head -c 3000000 /dev/urandom > "$WORK/src/payload/a.bin"
torfs create "$WORK/src/payload" -o "$WORK/t.torrent" --piece-size 65536 > /dev/null
M="$WORK/mnt"
# no peers at all: nothing can be served
mount_torfs "$WORK/t.torrent" "$M" --data "$WORK/data" --port 6899 --read-timeout 3
start=$(date +%s.%N)
if err=$(dd if="$M/payload/a.bin" of=/dev/null bs=64k count=1 2>&1); then fail "read without peers succeeded"; fi
secs=$(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $start}")
echo "$err" | grep -q "Input/output error" || fail "expected EIO, got: $err"
awk "BEGIN{exit !($secs >= 2.5 && $secs < 10)}" || fail "EIO after ${secs}s, expected ~3 s"
echo "EIO after ${secs}s"
torfs unmount "$M" || fail "unmount failed"

mount_torfs "$WORK/t.torrent" "$M" --data "$WORK/data" --port 6899 --read-timeout 600
# a non-interactive shell starts background jobs with SIGINT ignored; give cat the
# default disposition a terminal's Ctrl-C would meet
"$PY" -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp("cat", ["cat", sys.argv[1]])' \
  "$M/payload/a.bin" > /dev/null 2>&1 &
CAT=$!
sleep 1
kill -0 $CAT 2>/dev/null || fail "cat did not block"
start=$(date +%s.%N)
kill -INT $CAT
for _ in $(seq 50); do kill -0 $CAT 2>/dev/null || break; sleep 0.1; done
kill -0 $CAT 2>/dev/null && fail "cat still blocked 5 s after SIGINT"
echo "SIGINT ended the blocked read in $(awk "BEGIN{printf \"%.2f\", $(date +%s.%N) - $start}")s"

cat "$M/payload/a.bin" > /dev/null 2>&1 &
CAT=$!
sleep 1
kill -0 $CAT 2>/dev/null || fail "second cat did not block"
timeout 20 torfs unmount "$M" || fail "unmount with a blocked reader failed or hung"
for _ in $(seq 100); do kill -0 $CAT 2>/dev/null || break; sleep 0.1; done
kill -0 $CAT 2>/dev/null && fail "blocked reader not released by unmount"
rc=0; wait $CAT || rc=$?
[[ $rc -ne 0 ]] || fail "released reader reported success"
mountpoint -q "$M" && fail "still mounted"
echo ok
