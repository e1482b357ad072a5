#!/usr/bin/env bash
# A fresh mount's start on a shaped swarm (issue 8's "startup", measured many times): one swarm
# profile (native-test/swarm), a 600 MB file of 1 MiB pieces; per round and client a fresh
# process, data dir and dropped page cache, then the player (native-test/player/player.py)
# plays 2 s at 16 Mbit/s with a 2 s start buffer and checks every byte. Figures: launch ->
# ready (tree visible; peerflix: its HTTP server answers), first byte and startup (open ->
# playing), each round's and the median. Clients rotate: torfs, peerflix (the best other
# client of issue 8's tables), and with BEFORE=PATH/TO/scripts/torfs another build of ours
# (e.g. main's), so a change is measured against its base in the same run.
#
#   usage: native-test/bench-startup.sh [--profile home] [--rounds 5] [--size-mb 600]
#                                       [--clients "torfs peerflix"]
source "$(dirname "$0")/stream-clients.sh"
PROFILE=home ROUNDS=5 SIZE_MB=600 CLIENTS="torfs peerflix"
args=("$@")  # parsed from a copy: lib.sh re-executes the script with "$@"
while (( ${#args[@]} )); do
  case ${args[0]} in
    --profile) PROFILE=${args[1]} ;;
    --rounds) ROUNDS=${args[1]} ;;
    --size-mb) SIZE_MB=${args[1]} ;;
    --clients) CLIENTS=${args[1]} ;;
    *) echo "usage: $0 [--profile P] [--rounds N] [--size-mb M] [--clients C]" >&2; exit 2 ;;
  esac
  (( ${#args[@]} >= 2 )) || { echo "$0: ${args[0]} needs a value" >&2; exit 2; }
  args=("${args[@]:2}")
done
source "$(dirname "$0")/stream-bench-setup.sh"
BITRATE=16M

clients=($CLIENTS)
if [[ -n ${BEFORE:-} ]]; then
  [[ -x $BEFORE ]] || fail "BEFORE=$BEFORE is not an executable scripts/torfs"
  mkdir -p "$WORK/before-bin" && ln -sf "$(readlink -f "$BEFORE")" "$WORK/before-bin/torfs"
  clients+=(before)
fi

echo "generating a ${SIZE_MB} MB payload..." >&2
swarm_movie $((SIZE_MB * 1000000))
swarm_profile "$PROFILE" 2000000  # the bitrate matters to "thin" only: 16 Mbit/s
swarm_start "$WORK/t.torrent" "$WORK/src"

# one NAME ROUND: prints "NAME ready first_byte startup"
one() {
  local name=$1 data="$WORK/d-$1-$2" out
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  if [[ $name == before ]]; then
    PATH="$WORK/before-bin:$PATH" client_start torfs "$WORK/t.torrent" "$data"
  else
    client_start "$name" "$WORK/t.torrent" "$data"
  fi
  out=$("$PY" "$PLAYER" "$CLIENT_SOURCE" --bitrate "$BITRATE" --duration 2 --start-buffer 2 \
    --resume-buffer 1 --read-timeout 60 --reference "$WORK/src/movie.bin" 2> /dev/null) \
    || fail "$name: the player failed: $out"
  client_stop "$CLIENT_NAME"
  rm -rf "$data" "$data.mnt" "$data.log"
  "$PY" -c 'import json, sys
d = json.loads(sys.argv[2])
print(sys.argv[1], sys.argv[3], d["first_byte_s"], d["startup_s"])' "$name" "$out" "$CLIENT_READY_SECS"
}

results=()
for r in $(seq "$ROUNDS"); do
  for c in "${clients[@]}"; do
    results+=("$(one "$c" "$r")")
    echo "  ${results[-1]}" >&2
  done
done
echo "## Start-up benchmark, $(date +%F): profile $PROFILE (${SWARM_RATES[*]} B/s), ${SIZE_MB} MB, 1 MiB pieces, $BITRATE, 2 s start buffer, $ROUNDS rounds"
echo
echo "| client | launch -> ready s | first byte s | startup s | median ready / first byte / startup s |"
echo "|---|---|---|---|---|"
for c in "${clients[@]}"; do
  printf '%s\n' "${results[@]}" | awk -v l="$c" '
    function median(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    $1 == l { n++; r[n] = $2; f[n] = $3; s[n] = $4
      rs = rs sep sprintf("%.2f", $2); fs = fs sep sprintf("%.2f", $3); ss = ss sep sprintf("%.2f", $4); sep = ", " }
    END { printf "| %s | %s | %s | %s | %.2f / %.2f / %.2f |\n", l, rs, fs, ss, median(r, n), median(f, n), median(s, n) }'
done
