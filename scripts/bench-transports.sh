#!/usr/bin/env bash
# Each way bytes arrive from a peer: `torfs download` and a python3-libtorrent leecher each
# fetch the same torrent (default 1 GiB, 1 MiB pieces) from a python3-libtorrent seeder over
# plain TCP, over TCP with RC4 forced (MSE/PE) and over uTP alone (TCP off on both sides),
# $ROUNDS times each (default 1), in a loopback-only namespace, each a fresh process into an
# empty directory with the page cache dropped first (the seeder reads from disk, as a user's
# would). Prints wall seconds, MB/s, CPU seconds and CPU seconds per GiB.
#   usage: [ROUNDS=N] [MODES='plaintext rc4 utp'] scripts/bench-transports.sh [SIZE_MIB]   (after mvn -DskipTests package)
source "$(dirname "$0")/../native-test/lib.sh"
source "$NT_ROOT/native-test/bench-lib.sh"
in_loopback_netns "$@"
SIZE_MIB=${1:-1024}
ROUNDS=${ROUNDS:-1}
MODES=${MODES:-plaintext rc4 utp}
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

RESULTS="$WORK/results"; : > "$RESULTS"
S="$WORK/src/payload"; mkdir -p "$S"
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$S/big.bin"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$S" "$WORK/t.torrent" 1048576 v1 > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
LT_ENCRYPTION=rc4 lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.3:16882
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.4:16884 utp-only

for round in $(seq "$ROUNDS"); do
  for enc in $MODES; do
    transport=tcp lt_args=()
    case $enc in
      rc4) seed=127.0.0.3:16882 mode=require ;;
      utp) seed=127.0.0.4:16884 mode=disable transport=utp lt_args=(utp-only) ;;
      *) seed=127.0.0.2:16881 mode=disable ;;
    esac
    drop_caches
    measure "torfs-$enc" torfs download "$WORK/t.torrent" --data "$WORK/d" --port 6881 --bind 127.0.0.1 \
      --peer "$seed" --encryption "$mode" --transport "$transport" > "$WORK/torfs.log" 2>&1 \
      || { tail "$WORK/torfs.log"; fail "torfs failed"; }
    cmp "$S/big.bin" "$WORK/d/payload/big.bin" || fail "torfs copy differs"
    rm -rf "$WORK/d"
    lt_env=(); [[ $enc == rc4 ]] && lt_env=(env LT_ENCRYPTION=rc4)
    drop_caches
    measure "libtorrent-$enc" "${lt_env[@]}" "$PY" "$NT_ROOT/native-test/lt_leech.py" "$WORK/t.torrent" "$WORK/d" \
      127.0.0.1:6883 "$seed" "${lt_args[@]}" > /dev/null || fail "libtorrent leecher failed"
    cmp "$S/big.bin" "$WORK/d/payload/big.bin" || fail "libtorrent copy differs"
    rm -rf "$WORK/d"
  done
done

echo "download of ${SIZE_MIB} MiB from a libtorrent seeder, median of $ROUNDS"
printf '%-20s %8s %8s %8s %10s\n' client wall_s MB/s cpu_s cpu_s/GiB
for name in torfs-plaintext libtorrent-plaintext torfs-rc4 libtorrent-rc4 torfs-utp libtorrent-utp; do
  # median by wall time (mawk has no asort)
  awk -v n="$name" '$1 == n {print $2, $3}' "$RESULTS" | sort -n | awk -v n="$name" -v mib="$SIZE_MIB" \
    '{w[NR] = $1; c[NR] = $2} END { if (!NR) exit; m = int((NR + 1) / 2);
      printf "%-20s %8.2f %8.1f %8.2f %10.2f\n", n, w[m], mib * 1.048576 / w[m], c[m], c[m] * 1024 / mib }'
done
