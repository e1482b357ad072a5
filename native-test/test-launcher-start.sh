#!/usr/bin/env bash
# The launcher's start path: TORFS_TRACE_START=1 prints a download's milestones in order (and
# nothing without it); the class-data archive that `mvn package` makes (target/torfs.jsa) is
# used, TORFS_CDS=off starts without it, and a broken archive is skipped silently.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

make_payload "$WORK/src/payload"
torfs create "$WORK/src/payload" -o "$WORK/t.torrent" --piece-size 65536 > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881

# the milestones, each once, in the order a download meets them, timed from the launch (the
# files' preparation runs beside them: checked on its own below)
TORFS_TRACE_START=1 timeout 60 torfs download "$WORK/t.torrent" --data "$WORK/d1" --port 6891 \
  --no-dht --peer 127.0.0.2:16881 2> "$WORK/trace.log" || { cat "$WORK/trace.log"; fail "traced download failed"; }
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$WORK/d1/payload") || fail "traced download differs"
grep '^torfs-trace:' "$WORK/trace.log" | sed 's/^torfs-trace: *[0-9.]* ms //' > "$WORK/marks"
prev=-1
for m in "main" "command line ready" "torrent parsed" "port bound" "data checked" \
    "session started" "first dial" "first handshake received" "first request sent" "first block received" \
    "first block written" "first piece verified" "complete" "stopped" "exit"; do
  n=$(grep -nxF "$m" "$WORK/marks" | cut -d: -f1)
  [[ -n $n ]] || { cat "$WORK/trace.log"; fail "no milestone '$m'"; }
  (( n > prev )) || { cat "$WORK/trace.log"; fail "milestone '$m' out of order"; }
  prev=$n
done
# the files are made on a thread of their own beside the first requests: after the session
# started, before the stop's save waited for the disk tasks
n=$(grep -nxF "files prepared" "$WORK/marks" | cut -d: -f1)
started=$(grep -nxF "session started" "$WORK/marks" | cut -d: -f1)
done_at=$(grep -nxF "stop: disk tasks done" "$WORK/marks" | cut -d: -f1)
[[ -n $n && -n $done_at ]] && (( n > started && n < done_at )) \
  || { cat "$WORK/trace.log"; fail "'files prepared' missing or not between the session's start and the stop's wait"; }
[[ $(sort "$WORK/marks" | uniq -d | wc -l) == 0 ]] || fail "a milestone was printed twice"
awk '/^torfs-trace:/ { if ($2 + 0 < t) bad = 1; t = $2 + 0 } END { exit bad }' "$WORK/trace.log" \
  || { cat "$WORK/trace.log"; fail "trace times go backwards"; }
timeout 60 torfs download "$WORK/t.torrent" --data "$WORK/d2" --port 6892 --no-dht --peer 127.0.0.2:16881 \
  2> "$WORK/plain.log" || fail "download failed"
! grep -q 'torfs-trace' "$WORK/plain.log" || fail "trace lines without TORFS_TRACE_START"

# the archive: torfs's classes come from it, or from the jar with TORFS_CDS=off
JSA="$NT_ROOT/target/torfs.jsa"
[[ -f $JSA ]] || skip "no target/torfs.jsa (mvn package -Dtorfs.cds.skip?); the trace passed"
source_of_main() {
  grep ' torfs.app.Main source: ' "$1" | sed 's/.* source: //'
}
TORFS_JAVA_OPTS="-Xlog:class+load:file=$WORK/cl-on.txt" torfs info "$WORK/t.torrent" > "$WORK/info-on.txt"
[[ $(source_of_main "$WORK/cl-on.txt") == "shared objects file" ]] \
  || fail "torfs.app.Main not from the archive: $(source_of_main "$WORK/cl-on.txt")"
TORFS_CDS=off TORFS_JAVA_OPTS="-Xlog:class+load:file=$WORK/cl-off.txt" torfs info "$WORK/t.torrent" > "$WORK/info-off.txt"
[[ $(source_of_main "$WORK/cl-off.txt") == file:* ]] || fail "TORFS_CDS=off still used the archive"
cmp "$WORK/info-on.txt" "$WORK/info-off.txt" || fail "info differs with the archive"
# a broken archive (newer than the jar, so the launcher passes it on): the JVM skips it, silently
head -c 1048576 /dev/urandom > "$WORK/broken.jsa"
TORFS_CDS_ARCHIVE="$WORK/broken.jsa" torfs info "$WORK/t.torrent" > "$WORK/info-broken.txt" 2> "$WORK/broken.err" \
  || { cat "$WORK/broken.err"; fail "torfs info failed with a broken archive"; }
cmp "$WORK/info-on.txt" "$WORK/info-broken.txt" || fail "info differs with a broken archive"
[[ ! -s $WORK/broken.err ]] || { cat "$WORK/broken.err"; fail "a broken archive was not skipped silently"; }
echo ok
