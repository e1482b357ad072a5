#!/usr/bin/env bash
# Benchmark for the engine: full download of a torrent (default 3 GiB, 1 MiB pieces) from one
# python3-libtorrent seeder on loopback, by `torfs download`, aria2c, ctorrent and a
# python3-libtorrent leecher, one after the other in the same run against the same seeder,
# $ROUNDS times each (default 5). torfs runs as users run it, through scripts/torfs. Prints one
# table: median wall time (launch to exit), MB/s over it, launch to the first byte on disk, the
# transfer rate between the first and the last byte on disk (the median run's, and every
# run's), the last byte to exit, CPU seconds, peak RSS. Everything runs in a loopback-only namespace.
# With FILES=N the payload is N small files in 50 directories (SIZE_MIB in all, 256 KiB
# pieces) instead of one big file and a small one: what a torrent of many files costs (files
# created, written and made durable one by one).
#   usage: [ROUNDS=N] [FILES=N] scripts/bench-download.sh [SIZE_MIB]
source "$(dirname "$0")/../native-test/lib.sh"
source "$NT_ROOT/native-test/bench-lib.sh"
in_loopback_netns "$@"
SIZE_MIB=${1:-3072}
# five: one 300 MB run's transfer rate swings by up to a third for every client, aria2c too:
# in about half the runs the seeder sends the first ~120 MB at ~125 MB/s, taking no page
# faults and ~5x the CPU per MB, and the rest at 400-500 (docs/benchmarks.md, 2026-12-04),
# so the median of three was nearly a coin flip
ROUNDS=${ROUNDS:-5}
"$NT_ROOT/scripts/install-deps.sh" --bench
(cd "$NT_ROOT" && mvn -B -q -DskipTests package)

RESULTS="$WORK/results"; : > "$RESULTS"
S="$WORK/src/payload"; mkdir -p "$S"
FILES=${FILES:-0}
echo "generating ${SIZE_MIB} MiB payload..." >&2
if (( FILES > 0 )); then
  "$PY" - "$S" "$FILES" "$SIZE_MIB" <<'PY'
import os, sys
root, n, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
each = mib * 1024 * 1024 // n
for i in range(n):
    d = os.path.join(root, "d%02d" % (i % 50))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d.dat" % i), "wb") as o:
        o.write(os.urandom(each // 2 + (i * 7919) % each)) # sizes spread around the mean
PY
  PIECE=262144
else
  head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$S/big.bin"
  head -c 1000000 /dev/urandom > "$S/small.bin"
  PIECE=1048576
fi
torfs create "$S" -o "$WORK/t.torrent" --piece-size "$PIECE" \
  --tracker http://127.0.0.1:6969/announce > /dev/null
start_opentracker "$(info_hash "$WORK/t.torrent")"
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
bytes=$(find "$S" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f\n", s }')
# what the files hold on disk once complete (whole blocks, as the source's): the disk watcher's goal
allocated=$(find "$S" -type f -printf '%b\n' | awk '{ s += $1 * 512 } END { printf "%.0f\n", s }')
# same_payload DIR: DIR/payload holds what the seeder serves, byte for byte
same_payload() { diff -rq "$S" "$1/payload" > /dev/null; }

# watch_disk DIR BYTES: from now, polls the blocks the files under DIR/payload hold (written
# data: sparse files and control files beside payload/ do not count) every 10 ms; appends
# "first full" (seconds from now to the first byte on disk and to all BYTES) to $WORK/disk-times.
# One Python process: a shell loop of find and awk forked ~300 processes a second, which on two
# cores slowed the client being measured (a JVM's start most: torfs's first byte 3.2 against
# 1.5 s with the loop and without it in the same hour)
watch_disk() {
  exec "$PY" - "$1/payload" "$2" "$WORK/disk-times" "$(now)" <<'PY'  # exec: timed kills it by its pid
import os, sys, time
d, want, out, t0 = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
first = None
while True:
    used = 0
    for root, _, files in os.walk(d):
        for f in files:
            try:
                used += os.stat(os.path.join(root, f)).st_blocks * 512
            except OSError:
                pass
    t = time.time() - t0
    if first is None and used > 0:
        first = t
    if used >= want:
        with open(out, "a") as o:
            o.write("%.3f %.3f\n" % (first, t))
        break
    time.sleep(0.01)
PY
}
# timed NAME DIR CMD...: measure with the disk watched; the disk times join the result line
timed() {
  local name=$1 dir=$2; shift 2
  : > "$WORK/disk-times"
  watch_disk "$dir" "$allocated" & local w=$!
  local rc=0
  measure "$name" "$@" || rc=$?
  sleep 0.05; kill "$w" 2>/dev/null; wait "$w" 2>/dev/null
  local times; times=$(cat "$WORK/disk-times"); times=${times:-"- -"}
  sed -i "\$s/\$/ $times/" "$RESULTS"
  return $rc
}

run_torfs() {
  timed torfs "$WORK/d-torfs" torfs download "$WORK/t.torrent" --data "$WORK/d-torfs" \
    --port 6881 --peer 127.0.0.2:16881 > "$WORK/torfs.log" 2>&1 || { tail "$WORK/torfs.log"; fail "torfs download failed"; }
  same_payload "$WORK/d-torfs" || fail "torfs copy differs"
  rm -rf "$WORK/d-torfs"
}
run_aria2c() {
  timed aria2c "$WORK/d-aria2" aria2c --enable-dht=false --enable-dht6=false --bt-enable-lpd=false \
    --enable-peer-exchange=false --seed-time=0 --listen-port=6882 --file-allocation=none \
    -d "$WORK/d-aria2" --quiet=true "$WORK/t.torrent" || fail "aria2c failed"
  same_payload "$WORK/d-aria2" || fail "aria2c copy differs"
  rm -rf "$WORK/d-aria2"
}
run_libtorrent() {
  timed libtorrent "$WORK/d-lt" "$PY" "$NT_ROOT/native-test/lt_leech.py" "$WORK/t.torrent" "$WORK/d-lt" \
    127.0.0.1:6883 127.0.0.2:16881 > /dev/null || fail "libtorrent leecher failed"
  same_payload "$WORK/d-lt" || fail "libtorrent copy differs"
  rm -rf "$WORK/d-lt"
}
run_ctorrent() {
  # -e 0: exit once complete; it announces to the torrent's tracker (opentracker), DHT-less
  mkdir -p "$WORK/d-ct"
  timed ctorrent "$WORK/d-ct" ctorrent -e 0 -p 6884 -i 127.0.0.1 -s "$WORK/d-ct/payload" \
    -b "$WORK/ct.bf" "$WORK/t.torrent" > "$WORK/ctorrent.log" 2>&1 || { tail "$WORK/ctorrent.log"; fail "ctorrent failed"; }
  same_payload "$WORK/d-ct" || fail "ctorrent copy differs"
  rm -rf "$WORK/d-ct" "$WORK/ct.bf"
}
# Every client downloads ROUNDS times, the order rotating each round (on this VM the first
# transfer after a cache drop and the run order sway single figures by 10-30 %); the table
# shows each client's median run, and every run's transfer rate.
CLIENTS=(torfs aria2c ctorrent libtorrent)
run_rounds "${CLIENTS[@]}"

echo
what=$( (( FILES > 0 )) && echo "$FILES files, 256 KiB pieces" || echo "1 MiB pieces")
echo "## Full download, $(awk "BEGIN{printf \"%.2f\", $bytes/1e9}") GB, $what, one python3-libtorrent seeder, loopback ($(date -u +%F))"
echo
echo "| client | median wall s | MB/s (median) | MB/s (all $ROUNDS runs) | launch -> first byte on disk s | first -> last byte MB/s | (all runs) | last byte -> exit s | CPU s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for c in "${CLIENTS[@]}"; do
  # the median run by wall time; its disk times, CPU and RSS
  read -r wall cpu rss first full < <(awk -v n="$c" '$1 == n {print $2, $3, $4, $6, $7}' "$RESULTS" | sort -n | awk '{a[NR]=$0} END{print a[int((NR+1)/2)]}')
  all=$(awk -v n="$c" -v b="$bytes" '$1 == n {printf "%s%.0f", sep, b/1e6/$2; sep=", "}' "$RESULTS")
  xfer=$(awk -v n="$c" -v b="$bytes" '$1 == n && $6 != "-" && $7 > $6 {printf "%s%.0f", sep, b/1e6/($7-$6); sep=", "}' "$RESULTS")
  awk -v n="$c" -v w="$wall" -v c="$cpu" -v r="$rss" -v b="$bytes" -v all="$all" -v f="$first" -v l="$full" -v x="${xfer:--}" \
    'BEGIN{if (f == "-" || l == "-") {fb = "-"; tr = "-"; ex = "-"} else {fb = sprintf("%.2f", f);
       tr = (l > f) ? sprintf("%.0f", b/1e6/(l - f)) : "-"; ex = sprintf("%.2f", w - l)}
     printf "| %s | %.1f | %.0f | %s | %s | %s | %s | %s | %.1f | %.0f |\n", n, w, b/1e6/w, all, fb, tr, x, ex, c, r/1024}'
done
