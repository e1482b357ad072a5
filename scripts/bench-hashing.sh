#!/usr/bin/env bash
# Hashing benchmark (NOT a test): SHA-1 piece hashing of one payload (a directory of four
# files, one level of subdirectory) by
#   sha1sum         raw single-thread SHA-1 of the files, a reference point
#   mktorrent       reference torrent creator (all cores)
#   torfs create    ours, same piece size: its info-hash must equal mktorrent's
#   torfs verify    ours, checking the payload against mktorrent's .torrent
# Every tool runs RUNS times, round robin (so a busy machine slows them all alike); the table
# shows each tool's best wall time (JVM start included for torfs), its MB/s (10^6 bytes/s) and
# the CPU seconds (user+sys) of that run. Exit status 1 if the info-hashes differ or verify fails.
#
# Usage: scripts/bench-hashing.sh                    (2048 MiB, 1 MiB pieces, 3 runs)
#        SIZE_MB=256 PIECE_LOG2=22 RUNS=1 scripts/bench-hashing.sh
#        BENCH_DIR=/big/disk scripts/bench-hashing.sh   (default: a temp dir, removed after)
# The payload has just been written, so it is in the page cache: this measures hashing and the
# I/O path, not the disk. Nothing touches the network (the announce URL is a placeholder on
# 127.0.0.1 that nobody contacts).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TORFS="$ROOT/scripts/torfs"
SIZE_MB="${SIZE_MB:-2048}"
PIECE_LOG2="${PIECE_LOG2:-20}"   # mktorrent 1.1 takes 15..28
RUNS="${RUNS:-3}"
THREADS="$(nproc)"
ANNOUNCE=http://127.0.0.1:1/announce
command -v mktorrent >/dev/null || { echo "bench-hashing: mktorrent is not installed" >&2; exit 1; }

if [[ -n "${BENCH_DIR:-}" ]]; then
  WORK="$BENCH_DIR"; mkdir -p "$WORK"
else
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/torfs-bench.XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
fi
PAYLOAD="$WORK/payload"          # the torrent's top directory; verify's --data is $WORK
QUARTER=$((SIZE_MB * 1024 * 1024 / 4))
FILES=(a.bin b.bin sub/c.bin sub/d.bin)
BYTES=$((QUARTER * 4))

generate_payload() {
  mkdir -p "$PAYLOAD/sub"
  local f
  for f in "${FILES[@]}"; do
    [[ -f "$PAYLOAD/$f" && "$(stat -c %s "$PAYLOAD/$f")" == "$QUARTER" ]] && continue
    echo "bench-hashing: writing $((QUARTER >> 20)) MiB of pseudo-random data to $PAYLOAD/$f" >&2
    # AES-CTR keystream: incompressible and far faster than /dev/urandom (openssl dies of
    # SIGPIPE when head has enough: not an error, the size check below decides)
    { openssl enc -aes-128-ctr -pass "pass:torfs-bench-$f" -nosalt -pbkdf2 </dev/zero 2>/dev/null \
      | head -c "$QUARTER" >"$PAYLOAD/$f"; } || head -c "$QUARTER" /dev/urandom >"$PAYLOAD/$f"
    if [[ "$(stat -c %s "$PAYLOAD/$f")" != "$QUARTER" ]]; then
      echo "bench-hashing: could not generate $PAYLOAD/$f" >&2; exit 1
    fi
  done
}

# run_timed TOOL CMD...: runs CMD once; records wall and CPU seconds when it beats TOOL's best.
declare -A BEST_WALL BEST_CPU FAILED
run_timed() {
  local tool="$1"; shift
  local log="$WORK/${tool// /-}.log" wall cpu TIMEFORMAT='%R %U %S'
  if ! { time "$@" >"$log" 2>&1; } 2>"$WORK/time"; then
    FAILED[$tool]="failed: $(tail -n 1 "$log" | cut -c1-60)"
    return
  fi
  wall="$(awk '{ printf "%.3f", $1 }' "$WORK/time")"
  cpu="$(awk '{ printf "%.2f", $2 + $3 }' "$WORK/time")"
  if [[ -z "${BEST_WALL[$tool]:-}" ]] || awk -v a="$wall" -v b="${BEST_WALL[$tool]}" 'BEGIN { exit !(a < b) }'; then
    BEST_WALL[$tool]="$wall"; BEST_CPU[$tool]="$cpu"
  fi
}

run_sha1sum()  { (cd "$PAYLOAD" && sha1sum "${FILES[@]}"); }
run_mktorrent() {
  rm -f "$WORK/mk.torrent"
  mktorrent -l "$PIECE_LOG2" -t "$THREADS" -a "$ANNOUNCE" -o "$WORK/mk.torrent" "$PAYLOAD"
}
run_create() {
  rm -f "$WORK/torfs.torrent"
  "$TORFS" create "$PAYLOAD" -o "$WORK/torfs.torrent" --piece-size $((1 << PIECE_LOG2)) --tracker "$ANNOUNCE"
}
run_verify() { "$TORFS" verify "$WORK/mk.torrent" --data "$WORK" --threads "$THREADS"; }

info_hash() { # by our own parser
  "$TORFS" info --json "$1" | sed -E 's/.*"infoHash":"([0-9a-f]{40})".*/\1/'
}

row() { # TOOL NOTE
  local tool="$1" note="$2"
  if [[ -n "${FAILED[$tool]:-}" ]]; then
    printf '%-13s %8s %9s %8s  %s\n' "$tool" n/a n/a n/a "${FAILED[$tool]}"
  else
    awk -v t="$tool" -v s="${BEST_WALL[$tool]}" -v c="${BEST_CPU[$tool]}" -v b="$BYTES" -v n="$note" \
      'BEGIN { printf "%-13s %8.2f %9.1f %8.2f  %s\n", t, s, b / 1e6 / s, c, n }'
  fi
}

main() {
  "$TORFS" --version >/dev/null   # build the jar now, outside any timing
  generate_payload
  cat "$PAYLOAD"/*.bin "$PAYLOAD"/sub/*.bin >/dev/null   # same warm page cache for every tool
  local i
  for ((i = 0; i < RUNS; i++)); do
    run_timed mktorrent run_mktorrent
    run_timed "torfs create" run_create
    run_timed "torfs verify" run_verify
    run_timed sha1sum run_sha1sum
  done
  local h_mk="" h_torfs="" same="n/a"
  [[ -f "$WORK/mk.torrent" ]] && h_mk="$(info_hash "$WORK/mk.torrent")"
  [[ -f "$WORK/torfs.torrent" ]] && h_torfs="$(info_hash "$WORK/torfs.torrent")"
  if [[ -n "$h_mk" && -n "$h_torfs" ]]; then
    if [[ "$h_mk" == "$h_torfs" ]]; then same="equal"; else same="DIFFERENT"; fi
  fi

  printf '\n%s MiB in %s files, %s KiB pieces, %s cores, best of %s runs\n' "$SIZE_MB" \
    "${#FILES[@]}" $(((1 << PIECE_LOG2) / 1024)) "$THREADS" "$RUNS"
  printf '%-13s %8s %9s %8s  %s\n' tool wall_s MB/s cpu_s note
  row mktorrent "$THREADS threads"
  row "torfs create" "$THREADS threads, JVM start included"
  row "torfs verify" "$THREADS threads, JVM start included"
  row sha1sum "1 thread, reference"
  printf 'info-hash: mktorrent %s, torfs create %s: %s\n' "${h_mk:-none}" "${h_torfs:-none}" "$same"
  [[ "$same" == equal && -z "${FAILED[torfs verify]:-}" ]]
}

main "$@"
