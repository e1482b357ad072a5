#!/usr/bin/env bash
# kill -9 of the mount process leaves a stale mount; the next `torfs mount` on that path
# clears it, resumes the data already verified and does not download it again.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

mkdir -p "$WORK/src/payload"
head -c 30000000 /dev/urandom > "$WORK/src/payload/movie.bin"
head -c 100 /dev/urandom > "$WORK/src/payload/note.txt"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$WORK/src/payload" "$WORK/t.torrent" 262144 v1 > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
M="$WORK/mnt"
mount_torfs "$WORK/t.torrent" "$M" --data "$WORK/data" --port 6900 --peer 127.0.0.2:16881
cmp "$M/payload/movie.bin" "$WORK/src/payload/movie.bin" || fail "first read differs"
# wait until everything is verified, then kill the filesystem process hard
wait_for bash -c "[[ \$(getfattr --only-values -n user.torfs.progress '$M/payload') == 30000100/30000100 ]]" \
  || fail "download did not complete"
sleep 1
pid=$(cat "$WORK/data/torfs.pid")
[[ -n "$pid" ]] && kill -0 "$pid" || fail "no mount process found"
kill -9 "$pid"
sleep 0.5
if stat "$M/payload" 2>/dev/null; then fail "mount still answers after kill -9"; fi
# status names the dead mount and how to clear it (it once said the mount had no control socket)
set +e; torfs status --mount "$M" > "$WORK/status.out" 2>&1; rc=$?; set -e
[[ $rc -eq 2 && $(wc -l < "$WORK/status.out") -eq 1 ]] && grep -q "the process behind $M has ended" "$WORK/status.out" \
  || fail "status of the dead mount: exit $rc: $(cat "$WORK/status.out")"
kill_pid "$LT_PID" # no seeder: the data must come from the resumed store
mount_torfs "$WORK/t.torrent" "$M" --data "$WORK/data" --port 6900 --read-timeout 5
cmp "$M/payload/movie.bin" "$WORK/src/payload/movie.bin" || fail "resumed data differs"
echo ok
