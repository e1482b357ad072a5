#!/usr/bin/env bash
# torfs download of 128 MiB from a python3-libtorrent seeder flushes its data behind the
# writes (session.FlushBehind: an fdatasync every 32 MiB, so the stop's last flush is short),
# not only once at the end (strace counts the fdatasync calls: the data files are the only ones
# forced without their metadata); the bytes are right; the stop's steps come in order; and the
# resume state the stop leaves claims every piece: a second run completes with no peer at all.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"
command -v strace > /dev/null || skip "strace not installed"

mkdir -p "$WORK/src/payload"
head -c $((128 << 20)) /dev/urandom > "$WORK/src/payload/big.bin"
torfs create "$WORK/src/payload" -o "$WORK/t.torrent" --piece-size 1048576 > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
TORFS_TRACE_START=1 timeout 120 strace -f -qq --seccomp-bpf -e trace=fdatasync -e signal=none -o "$WORK/strace.txt" \
  torfs download "$WORK/t.torrent" --data "$WORK/dst" --port 6891 --bind 127.0.0.1 --no-dht \
  --peer 127.0.0.2:16881 2> "$WORK/run1.log" || { cat "$WORK/run1.log"; fail "download failed"; }
cmp "$WORK/src/payload/big.bin" "$WORK/dst/payload/big.bin" || fail "downloaded file differs"

# without the flushes behind: one (the save after the last piece; the stop's finds nothing dirty)
syncs=$(grep -c 'fdatasync(' "$WORK/strace.txt" || true)
(( syncs >= 2 )) || { cat "$WORK/strace.txt"; fail "data flushed $syncs time(s), expected flushes behind the writes"; }

# the stop's milestones, in order (times are not asserted)
order=$(grep -o 'ms \(complete\|stop: resume saved\|stopped\|exit\)$' "$WORK/run1.log" | cut -c4- | paste -sd,)
[[ $order == "complete,stop: resume saved,stopped,exit" ]] || { cat "$WORK/run1.log"; fail "stop milestones: $order"; }

# no peer, no tracker: only a resume state claiming every piece can finish this
timeout 60 torfs download "$WORK/t.torrent" --data "$WORK/dst" --port 6892 --bind 127.0.0.1 --no-dht \
  2> "$WORK/run2.log" || { cat "$WORK/run2.log"; fail "second run did not complete from the resume state"; }
grep -q 'torfs: complete; downloaded 0 bytes' "$WORK/run2.log" || { cat "$WORK/run2.log"; fail "second run downloaded again"; }
echo ok
