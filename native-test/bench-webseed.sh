#!/usr/bin/env bash
# Benchmark: download from a web seed only (BEP 19; Debian's nginx on loopback, no peers, no
# tracker) by `torfs download` and aria2c given the same .torrent, $ROUNDS times each (default
# 3, order alternating), each into a fresh data directory after dropping the page cache. Prints
# one table of median runs: wall time, MB/s, CPU seconds and CPU seconds per GiB, peak RSS.
# nginx's own CPU is the same for both and not counted.
#   usage: [ROUNDS=N] native-test/bench-webseed.sh [SIZE_MIB]
source "$(dirname "$0")/lib.sh"
source "$NT_ROOT/native-test/bench-lib.sh"
in_loopback_netns "$@"
source "$NT_ROOT/native-test/webseed-nginx.sh"
SIZE_MIB=${1:-512}
ROUNDS=${ROUNDS:-3}
command -v aria2c >/dev/null || skip "aria2c not installed"
[[ -x /usr/bin/time ]] || skip "/usr/bin/time not installed"
(cd "$NT_ROOT" && mvn -B -q -DskipTests package)

RESULTS="$WORK/results"; : > "$RESULTS"
W="$WORK/www"; S="$W/payload"; mkdir -p "$S"
echo "generating ${SIZE_MIB} MiB payload..." >&2
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$S/big.bin"
head -c 1000000 /dev/urandom > "$S/small.bin"
start_webseed_nginx "$W" 18090
torfs create "$S" -o "$WORK/t.torrent" --piece-size 1048576 --webseed http://127.0.0.1:18090/ > /dev/null
bytes=$(( SIZE_MIB * 1024 * 1024 + 1000000 ))

run_torfs() {
  measure torfs torfs download "$WORK/t.torrent" --data "$WORK/d-torfs" --port 6881 > "$WORK/torfs.log" 2>&1 \
    || { tail "$WORK/torfs.log"; fail "torfs download failed"; }
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
CLIENTS=(torfs aria2c)
run_rounds "${CLIENTS[@]}"

echo
echo "## Web seed download, $(awk "BEGIN{printf \"%.2f\", $bytes/1e9}") GB, 1 MiB pieces, nginx on loopback, no peers ($(date -u +%F))"
echo
echo "| client | median wall s | MB/s (median) | MB/s (all $ROUNDS runs) | CPU s | CPU s per GiB | peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
for c in "${CLIENTS[@]}"; do
  read -r wall cpu rss < <(awk -v n="$c" '$1 == n {print $2, $3, $4}' "$RESULTS" | sort -n | awk '{a[NR]=$0} END{print a[int((NR+1)/2)]}')
  all=$(awk -v n="$c" -v b="$bytes" '$1 == n {printf "%s%.0f", sep, b/1e6/$2; sep=", "}' "$RESULTS")
  awk -v n="$c" -v w="$wall" -v c="$cpu" -v r="$rss" -v b="$bytes" -v all="$all" \
    'BEGIN{printf "| %s | %.1f | %.0f | %s | %.1f | %.2f | %.0f |\n", n, w, b/1e6/w, all, c, c/(b/1073741824), r/1024}'
done
