#!/usr/bin/env bash
# Benchmark for the engine: full download of a torrent (default 3 GiB, 1 MiB pieces) from one
# python3-libtorrent seeder on loopback, by `torfs download`, aria2c and a python3-libtorrent
# leecher, one after the other in the same run against the same seeder. Prints one table:
# wall time, MB/s, CPU seconds, peak RSS. Everything runs in a loopback-only namespace.
#   usage: scripts/bench-download.sh [SIZE_MIB]
source "$(dirname "$0")/../native-test/lib.sh"
source "$NT_ROOT/native-test/bench-lib.sh"
in_loopback_netns "$@"
SIZE_MIB=${1:-3072}
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

sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
echo "torfs download..." >&2
measure torfs java -Xmx256m -jar "$TORFS_JAR" download "$WORK/t.torrent" --data "$WORK/d-torfs" \
  --port 6881 --peer 127.0.0.2:16881 > "$WORK/torfs.log" 2>&1 || { tail "$WORK/torfs.log"; fail "torfs download failed"; }
cmp "$S/big.bin" "$WORK/d-torfs/payload/big.bin" || fail "torfs copy differs"
rm -rf "$WORK/d-torfs"

sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
echo "aria2c..." >&2
measure aria2c aria2c --enable-dht=false --enable-dht6=false --bt-enable-lpd=false \
  --enable-peer-exchange=false --seed-time=0 --listen-port=6882 --file-allocation=none \
  -d "$WORK/d-aria2" --quiet=true "$WORK/t.torrent" || fail "aria2c failed"
cmp "$S/big.bin" "$WORK/d-aria2/payload/big.bin" || fail "aria2c copy differs"
rm -rf "$WORK/d-aria2"

sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
echo "libtorrent leecher..." >&2
measure libtorrent "$PY" "$NT_ROOT/native-test/lt_leech.py" "$WORK/t.torrent" "$WORK/d-lt" \
  127.0.0.1:6883 127.0.0.2:16881 > /dev/null || fail "libtorrent leecher failed"
cmp "$S/big.bin" "$WORK/d-lt/payload/big.bin" || fail "libtorrent copy differs"

echo
echo "## Full download, $(awk "BEGIN{printf \"%.2f\", $bytes/1e9}") GB, 1 MiB pieces, one python3-libtorrent seeder, loopback ($(date -u +%F))"
echo
echo "| client | wall s | MB/s | CPU s | peak RSS MB |"
echo "|---|---|---|---|---|"
while read -r name wall cpu rss rc; do
  awk -v n="$name" -v w="$wall" -v c="$cpu" -v r="$rss" -v b="$bytes" \
    'BEGIN{printf "| %s | %.1f | %.0f | %.1f | %.0f |\n", n, w, b/1e6/w, c, r/1024}'
done < "$RESULTS"
