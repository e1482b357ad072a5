#!/usr/bin/env bash
# Benchmark: `torfs create` against mktorrent on one generated payload, same piece size.
# Prints one table (tool, seconds, MB/s) and checks both info-hashes are equal.
# Usage: scripts/bench-create.sh [SIZE_MIB (default 2048)] [PIECE_LOG2 (default 20 = 1 MiB)]
# The payload is random data (not sparse zeros) in a few files, written once and then read from
# the page cache by both tools in turn; each tool is run once after one warm-up of each.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE_MIB="${1:-2048}"
LOG2="${2:-20}"
PIECE=$((1 << LOG2))
command -v mktorrent >/dev/null || { echo "bench-create: mktorrent is not installed" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/torfs-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
PAYLOAD="$WORK/payload"
mkdir -p "$PAYLOAD/sub"
echo "bench-create: writing ${SIZE_MIB} MiB of random data to $PAYLOAD ..." >&2
# four files of a quarter each, one of them in a subdirectory
QUARTER=$((SIZE_MIB / 4))
for f in a.bin b.bin sub/c.bin sub/d.bin; do
  head -c "$((QUARTER * 1024 * 1024))" /dev/urandom > "$PAYLOAD/$f"
done
TOTAL_BYTES=$(find "$PAYLOAD" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%d", s}')

"$ROOT/scripts/torfs" --version >/dev/null # build the jar outside the timing

hash_of() { # info-hash of a .torrent, by our own parser
  "$ROOT/scripts/torfs" info --json "$1" | sed -E 's/.*"infoHash":"([0-9a-f]{40})".*/\1/'
}

time_it() { # prints seconds with millisecond precision
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

run_torfs() { rm -f "$WORK/torfs.torrent"; "$ROOT/scripts/torfs" create "$PAYLOAD" -o "$WORK/torfs.torrent" --piece-size "$PIECE"; }
run_mktorrent() { rm -f "$WORK/mk.torrent"; mktorrent -d -l "$LOG2" -o "$WORK/mk.torrent" "$PAYLOAD"; }

run_torfs >/dev/null 2>&1; run_mktorrent >/dev/null 2>&1 # warm the page cache and the JIT's disk
T_TORFS=$(time_it run_torfs)
T_MK=$(time_it run_mktorrent)

H_TORFS=$(hash_of "$WORK/torfs.torrent")
H_MK=$(hash_of "$WORK/mk.torrent")

printf '%-12s %10s %10s\n' tool seconds MB/s
printf '%-12s %10.2f %10.1f\n' "torfs" "$T_TORFS" "$(echo "$TOTAL_BYTES / 1000000 / $T_TORFS" | bc -l)"
printf '%-12s %10.2f %10.1f\n' "mktorrent" "$T_MK" "$(echo "$TOTAL_BYTES / 1000000 / $T_MK" | bc -l)"
echo "payload: $TOTAL_BYTES bytes, piece size $PIECE, cores $(nproc)"
if [[ "$H_TORFS" == "$H_MK" ]]; then
  echo "info-hash: $H_TORFS (equal)"
else
  echo "info-hash MISMATCH: torfs $H_TORFS, mktorrent $H_MK" >&2
  exit 1
fi
