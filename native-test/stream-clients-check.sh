#!/usr/bin/env bash
# Sanity run of native-test/stream-clients.sh: a random payload (one big file, or with
# `multi` a directory of the big file and a small one), 1 MiB pieces, opentracker on
# 127.0.0.1:6969 and one python3-libtorrent seeder on 127.0.0.2; then torfs, btfs and
# peerflix in turn, each from a fresh data dir: start, wait for its connection to the seeder,
# a 1 MiB read from the middle (dd through the mount, curl -r over HTTP), the whole file
# through cmp (read after the background download had a head start), stop, and a check
# that no process or mount is left. Prints one markdown table. Not a test-*.sh: it needs
# peerflix from npm (installed before the script enters the loopback namespace).
#   usage: native-test/stream-clients-check.sh [MIB] [single|multi] [CLIENT...]
source "$(dirname "$0")/stream-clients.sh"
peerflix_install || exit 1   # outside the namespace on the first pass, a no-op on the second
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
MIB=${1:-100}
SHAPE=${2:-multi}
shift $(( $# >= 2 ? 2 : $# ))
CLIENTS=("$@")
(( ${#CLIENTS[@]} )) || CLIENTS=(torfs btfs peerflix)
command -v curl > /dev/null || fail "curl is missing (apt-get install curl)"

if [[ $SHAPE == single ]]; then
  mkdir -p "$WORK/src"; BIGF="$WORK/src/big.bin"; SRC=$BIGF
else
  mkdir -p "$WORK/src/payload"; BIGF="$WORK/src/payload/big.bin"; SRC="$WORK/src/payload"
  head -c 123457 /dev/urandom > "$WORK/src/payload/small.txt"
fi
head -c $((MIB * 1024 * 1024)) /dev/urandom > "$BIGF"
SIZE=$(stat -c %s "$BIGF")
torfs create "$SRC" -o "$WORK/t.torrent" --piece-size 1048576 \
  --tracker http://127.0.0.1:6969/announce > /dev/null
start_opentracker "$(info_hash "$WORK/t.torrent")"
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881

OFF=$((SIZE / 2 - 12345)) LEN=1048576
dd if="$BIGF" of="$WORK/want-range" bs=1M iflag=skip_bytes,count_bytes skip=$OFF count=$LEN status=none

ROWS=()
for c in "${CLIENTS[@]}"; do
  echo "$c..." >&2
  client_start "$c" "$WORK/t.torrent" "$WORK/d-$c"
  [[ $CLIENT_SIZE == "$SIZE" ]] || fail "$c: largest file is $CLIENT_SIZE bytes, want $SIZE"
  echo "$c: ready in $CLIENT_READY_SECS s, pid $CLIENT_PID, source $CLIENT_SOURCE" >&2
  client_wait_peer 127.0.0.2 || fail "$c: never connected to the seeder"
  t0=$(now)
  if [[ $c == peerflix ]]; then
    curl -sf -r "$OFF-$((OFF + LEN - 1))" "$CLIENT_SOURCE" | cmp - "$WORK/want-range" || fail "$c: ranged read differs"
  else
    dd if="$CLIENT_SOURCE" bs=1M iflag=skip_bytes,count_bytes skip=$OFF count=$LEN status=none \
      | cmp - "$WORK/want-range" || fail "$c: ranged read differs"
  fi
  range_secs=$(elapsed "$t0")
  t0=$(now)
  if [[ $c == peerflix ]]; then
    curl -sf "$CLIENT_SOURCE" | cmp - "$BIGF" || fail "$c: full read differs"
  else
    cmp "$CLIENT_SOURCE" "$BIGF" || fail "$c: full read differs"
  fi
  full_secs=$(elapsed "$t0")
  rss=$(client_rss_kb) cpu=$(client_cpu_s) pid=$CLIENT_PID mnt=$CLIENT_MNT data=$CLIENT_DATA
  client_stop "$c"
  # nothing left: the process, the mount, any process naming the data dir or mount
  # (a zombie is gone: the daemonised mounts are reaped by init a moment after they exit)
  if [[ -r /proc/$pid/stat && $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]]; then
    fail "$c: pid $pid still runs"
  fi
  if [[ -n $mnt ]] && _mounted "$mnt"; then fail "$c: $mnt still mounted"; fi
  left=$(pgrep -f -- "$data" || true)
  for p in /proc/[0-9]*; do  # peerflix rewrites its command line: look at working directories too
    [[ $(readlink "$p/cwd" 2>/dev/null) == "$data"* ]] && left+=" ${p#/proc/}"
  done
  [[ -z $left ]] || fail "$c: processes left: $left"
  echo "$c: stopped, nothing left" >&2
  ROWS+=("$(awk -v n="$c" -v r="$CLIENT_READY_SECS" -v p="$CLIENT_PEER_SECS" -v g="$range_secs" -v f="$full_secs" \
      -v b="$SIZE" -v m="$rss" -v u="$cpu" \
      'BEGIN{printf "| %s | %.2f | %.2f | %.3f | %.2f | %.0f | %.0f | %.1f |", n, r, p, g, f, b/1e6/f, m/1024, u}')")
  rm -rf "$data" "$data.mnt"
done

echo
echo "## Stream clients sanity run, $(date -u +%F): ${MIB} MiB file ($SHAPE), 1 MiB pieces, one python3-libtorrent seeder on loopback"
echo
echo "| client | launch -> ready s | launch -> seeder connected s | 1 MiB mid-file read s | full read + cmp s | MB/s | peak RSS MB | CPU s |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
