#!/usr/bin/env bash
# Hashing benchmark (NOT a test): times SHA-1 piece hashing of one payload by
#   sha1sum         raw single-thread SHA-1 of the file, the floor to compare against
#   mktorrent       reference torrent creator (all cores)
#   torfs create    ours, when the command exists (else n/a)
#   torfs verify    ours, checking the payload against mktorrent's .torrent
# and prints one table: tool, seconds, MB/s (10^6 bytes per second).
#
# Usage: scripts/bench-hashing.sh            (2 GiB payload)
#        SIZE_MB=256 scripts/bench-hashing.sh
#        BENCH_DIR=/big/disk scripts/bench-hashing.sh   (default: a temp dir, removed after)
# The payload has just been written, so it is mostly in the page cache: this measures hashing
# and our I/O path, not the disk. Nothing here touches the network (the announce URL is a
# placeholder on 127.0.0.1 that nobody contacts).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TORFS="$ROOT/scripts/torfs"
SIZE_MB="${SIZE_MB:-2048}"
PIECE_LOG2="${PIECE_LOG2:-22}"   # 4 MiB pieces
THREADS="$(nproc)"

if [[ -n "${BENCH_DIR:-}" ]]; then
  WORK="$BENCH_DIR"; mkdir -p "$WORK"
else
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/torfs-bench.XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
fi
DATA="$WORK/data"
PAYLOAD="$DATA/payload.bin"
BYTES=$((SIZE_MB * 1024 * 1024))
ROWS=()

now() { date +%s.%N; }

# add_row TOOL SECONDS|n/a [NOTE]
add_row() {
  local tool="$1" secs="$2" note="${3:-}"
  if [[ "$secs" == n/a ]]; then
    ROWS+=("$(printf '%-14s %9s %9s  %s' "$tool" n/a n/a "$note")")
  else
    ROWS+=("$(awk -v t="$tool" -v s="$secs" -v b="$BYTES" -v n="$note" \
      'BEGIN { printf "%-14s %9.2f %9.1f  %s", t, s, b / 1e6 / s, n }')")
  fi
}

# time_cmd TOOL NOTE CMD...: runs CMD, adds a row with its wall time, or n/a if it failed.
time_cmd() {
  local tool="$1" note="$2"; shift 2
  local t0 t1 log="$WORK/$tool.log"
  t0="$(now)"
  if "$@" >"$log" 2>&1; then
    t1="$(now)"
    add_row "$tool" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$note"
  else
    add_row "$tool" n/a "failed: $(tail -n 1 "$log" | cut -c1-60)"
  fi
}

generate_payload() {
  mkdir -p "$DATA"
  if [[ -f "$PAYLOAD" && "$(stat -c %s "$PAYLOAD")" == "$BYTES" ]]; then
    return
  fi
  echo "generating ${SIZE_MB} MiB of pseudo-random data in $PAYLOAD ..." >&2
  if command -v openssl >/dev/null; then
    # AES-CTR keystream: incompressible and far faster than /dev/urandom
    # (openssl dies of SIGPIPE when head has enough: not an error, the size check below decides)
    { openssl enc -aes-128-ctr -pass pass:torfs-bench -nosalt -pbkdf2 </dev/zero 2>/dev/null \
      | head -c "$BYTES" >"$PAYLOAD"; } || true
  else
    head -c "$BYTES" /dev/urandom >"$PAYLOAD"
  fi
  if [[ "$(stat -c %s "$PAYLOAD")" != "$BYTES" ]]; then
    echo "bench-hashing: could not generate the payload" >&2
    exit 1
  fi
}

bench_sha1sum() {
  time_cmd sha1sum "1 thread, raw" sha1sum "$PAYLOAD"
}

bench_mktorrent() {
  if ! command -v mktorrent >/dev/null; then
    add_row mktorrent n/a "not installed"; return
  fi
  rm -f "$WORK/mk.torrent"
  time_cmd mktorrent "$THREADS threads" mktorrent -l "$PIECE_LOG2" -t "$THREADS" \
    -a http://127.0.0.1:1/announce -o "$WORK/mk.torrent" "$PAYLOAD"
}

# ---- torfs create: the spot to adjust if `torfs create` changes its options ----
bench_torfs_create() {
  # picocli prints the top usage (exit 0) for an unknown "create --help": look at the list
  if ! "$TORFS" --help 2>&1 | grep -qE '^ +create( |$)'; then
    add_row "torfs create" n/a "command not available"; return
  fi
  rm -f "$WORK/torfs.torrent"
  time_cmd "torfs create" "" "$TORFS" create "$PAYLOAD" -o "$WORK/torfs.torrent" \
    --piece-size $((1 << PIECE_LOG2)) --tracker http://127.0.0.1:1/announce
}

bench_torfs_verify() {
  if [[ ! -f "$WORK/mk.torrent" ]]; then
    add_row "torfs verify" n/a "no .torrent from mktorrent"; return
  fi
  time_cmd "torfs verify" "$THREADS threads" "$TORFS" verify "$WORK/mk.torrent" --data "$DATA" \
    --threads "$THREADS"
}

main() {
  "$TORFS" --version >/dev/null   # build the jar now, outside any timing
  generate_payload
  cat "$PAYLOAD" >/dev/null        # same warm page cache for every tool
  bench_sha1sum
  bench_mktorrent
  bench_torfs_create
  bench_torfs_verify
  printf '\n%s MiB payload, %s KiB pieces, %s cores\n' "$SIZE_MB" $(((1 << PIECE_LOG2) / 1024)) "$THREADS"
  printf '%-14s %9s %9s  %s\n' tool seconds MB/s note
  printf '%s\n' "${ROWS[@]}"
}

main "$@"
