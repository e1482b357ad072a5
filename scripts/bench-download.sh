#!/usr/bin/env bash
# Benchmark for the engine: full download of a torrent (default 3 GiB, 1 MiB pieces) from one
# python3-libtorrent seeder on loopback, by `torfs download`, aria2c and a python3-libtorrent
# leecher, one after the other in the same run against the same seeder, $ROUNDS times each
# (default 3). torfs runs as users run it, through scripts/torfs. Prints one table: median
# wall time, MB/s, CPU seconds, peak RSS. Everything runs in a loopback-only namespace.
#   usage: [ROUNDS=N] scripts/bench-download.sh [SIZE_MIB]
source "$(dirname "$0")/../native-test/lib.sh"
source "$NT_ROOT/native-test/bench-lib.sh"
in_loopback_netns "$@"
SIZE_MIB=${1:-3072}
ROUNDS=${ROUNDS:-3}
"$NT_ROOT/scripts/install-deps.sh" --bench
(cd "$NT_ROOT" && mvn -B -q -DskipTests package)

RESULTS="$WORK/results"; : > "$RESULTS"
S="$WORK/src/payload"; mkdir -p "$S"
echo "generating ${SIZE_MIB} MiB payload..." >&2
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$S/big.bin"
head -c 1000000 /dev/urandom > "$S/small.bin"
torfs create "$S" -o "$WORK/t.torrent" --piece-size 1048576 \
  --tracker http://127.0.0.1:6969/announce > /dev/null
start_opentracker "$(info_hash "$WORK/t.torrent")"
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
bytes=$(( SIZE_MIB * 1024 * 1024 + 1000000 ))

run_torfs() {
  measure torfs torfs download "$WORK/t.torrent" --data "$WORK/d-torfs" \
    --port 6881 --peer 127.0.0.2:16881 > "$WORK/torfs.log" 2>&1 || { tail "$WORK/torfs.log"; fail "torfs download failed"; }
  cmp "$S/big.bin" "$WORK/d-torfs/payload/big.bin" || fail "torfs copy differs"
  rm -rf "$WORK/d-torfs"
}
run_aria2c() {
  measure aria2c aria2c --enable-dht=false --enable-dht6=false --bt-enable-lpd=false \
    --enable-peer-exchange=false --seed-time=0 --listen-port=6882 --file-allocation=none \
    -d "$WORK/d-aria2" --quiet=true "$WORK/t.torrent" || fail "aria2c failed"
  cmp "$S/big.bin" "$WORK/d-aria2/payload/big.bin" || fail "aria2c copy differs"
  rm -rf "$WORK/d-aria2"
}
run_libtorrent() {
  measure libtorrent "$PY" "$NT_ROOT/native-test/lt_leech.py" "$WORK/t.torrent" "$WORK/d-lt" \
    127.0.0.1:6883 127.0.0.2:16881 > /dev/null || fail "libtorrent leecher failed"
  cmp "$S/big.bin" "$WORK/d-lt/payload/big.bin" || fail "libtorrent copy differs"
  rm -rf "$WORK/d-lt"
}
# Every client downloads ROUNDS times, the order rotating each round (on this VM the first
# transfer after a cache drop and the run order sway single figures by 10-30 %); the table
# shows each client's median run.
CLIENTS=(torfs aria2c libtorrent)
for ((r = 0; r < ROUNDS; r++)); do
  for ((i = 0; i < ${#CLIENTS[@]}; i++)); do
    c=${CLIENTS[$(( (i + r) % ${#CLIENTS[@]} ))]}
    sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
    echo "round $((r + 1))/$ROUNDS: $c..." >&2
    "run_$c"
  done
done

echo
echo "## Full download, $(awk "BEGIN{printf \"%.2f\", $bytes/1e9}") GB, 1 MiB pieces, one python3-libtorrent seeder, loopback ($(date -u +%F))"
echo
echo "| client | median wall s | MB/s (median) | MB/s (all $ROUNDS runs) | CPU s | peak RSS MB |"
echo "|---|---|---|---|---|---|"
for c in "${CLIENTS[@]}"; do
  # the median run by wall time; its CPU and RSS
  read -r wall cpu rss < <(awk -v n="$c" '$1 == n {print $2, $3, $4}' "$RESULTS" | sort -n | awk '{a[NR]=$0} END{print a[int((NR+1)/2)]}')
  all=$(awk -v n="$c" -v b="$bytes" '$1 == n {printf "%s%.0f", sep, b/1e6/$2; sep=", "}' "$RESULTS")
  awk -v n="$c" -v w="$wall" -v c="$cpu" -v r="$rss" -v b="$bytes" -v all="$all" \
    'BEGIN{printf "| %s | %.1f | %.0f | %s | %.1f | %.0f |\n", n, w, b/1e6/w, all, c, r/1024}'
done
