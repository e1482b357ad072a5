#!/usr/bin/env bash
# A download cut short by Ctrl-C (SIGINT) or SIGTERM says where it stopped in one line and exits
# as a shell reports a signal (130, 143), not as a failure (1); the next run resumes what it
# verified and completes. A magnet download stopped before anyone sent its metadata leaves no
# trace: the data directory it created is gone again.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

mkdir -p "$WORK/src/payload"
head -c 30000000 /dev/urandom > "$WORK/src/payload/data.bin"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$WORK/src/payload" "$WORK/t.torrent" 262144 v1 > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881

# interrupted SIG CODE: a 4 MB/s download gets SIG after 3 s (in the foreground: a background
# job of this shell would ignore SIGINT) and must exit CODE with the one line
interrupted() {
  local rc=0
  timeout --preserve-status -s "$1" 3 torfs download "$WORK/t.torrent" --data "$WORK/dst" \
    --port 6896 --peer 127.0.0.2:16881 --max-down 4000000 > "$WORK/$1.log" 2>&1 || rc=$?
  [[ $rc -eq $2 ]] || fail "SIG$1: exit $rc, not $2: $(cat "$WORK/$1.log")"
  grep -q '^torfs: interrupted at [0-9.]*%; run again to resume$' "$WORK/$1.log" \
    || fail "SIG$1: no interruption line: $(cat "$WORK/$1.log")"
  no_java "$WORK/$1.log"
  grep '^torfs: interrupted' "$WORK/$1.log"
}
interrupted INT 130
interrupted TERM 143
timeout 120 torfs download "$WORK/t.torrent" --data "$WORK/dst" --port 6896 \
  --peer 127.0.0.2:16881 > "$WORK/last.log" 2>&1 || fail "the resumed download failed: $(cat "$WORK/last.log")"
cmp "$WORK/src/payload/data.bin" "$WORK/dst/payload/data.bin" || fail "the resumed file differs"

hash=$(torfs info "$WORK/t.torrent" | grep -o '[0-9a-f]\{40\}' | head -1)
[[ -n $hash ]] || fail "no info-hash from torfs info"
rc=0
timeout --preserve-status -s INT 2 torfs download "magnet:?xt=urn:btih:$hash" --data "$WORK/magnet-data" \
  --port 6897 --peer 127.0.0.1:9 > "$WORK/magnet.log" 2>&1 || rc=$?
[[ $rc -eq 130 ]] || fail "magnet download: exit $rc, not 130: $(cat "$WORK/magnet.log")"
[[ ! -e $WORK/magnet-data ]] || fail "the interrupted magnet download left $(ls -a "$WORK/magnet-data")"
no_java "$WORK/magnet.log"
echo "interrupted twice (130, 143), then resumed and complete; a magnet interrupted before its metadata left no directory"
