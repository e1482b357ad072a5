#!/usr/bin/env bash
# Self-check of the swarm harness (a few minutes, so not a test-*.sh in run.sh):
# 1. the home profile under aria2c: each seeder's share against its rate, the total
#    throughput against their sum, the queueing delay its sockets see;
# 2. the flaky profile under a rate-limited libtorrent probe: every choke, stall, leave and
#    rejoin checked from the client's side (check_flaky.py).
# SIZE_MB (default 200) sets the payload; PROFILE (default home, e.g. "thin 1M") the profile
# of part 1; FLAKY=0 skips part 2; KEEP=DIR keeps the logs there.
source "$(dirname "$0")/../lib.sh"
source "$NT_ROOT/native-test/swarm/swarm.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"
command -v aria2c > /dev/null || skip "aria2c not installed"
SIZE_MB=${SIZE_MB:-200}
PROFILE=${PROFILE:-home}
now() { date +%s.%N; }
[[ -z ${KEEP:-} ]] || on_exit "cp \"\$WORK\"/*.log '$KEEP'/ 2>/dev/null"

mkdir -p "$WORK/src/payload"
head -c $((SIZE_MB * 1000000)) /dev/urandom > "$WORK/src/payload/random.bin"
torfs create "$WORK/src/payload" -o "$WORK/swarm.torrent" --piece-size 1048576 \
  --tracker http://127.0.0.1:6969/announce > /dev/null
# for part 2: 700 MB (sparse zeros: the mechanics need no entropy), so that an unthrottled
# probe is still downloading 85 s into the flaky schedule
mkdir -p "$WORK/src2/zeros"
truncate -s 700M "$WORK/src2/zeros/zeros.bin"
torfs create "$WORK/src2/zeros" -o "$WORK/zeros.torrent" --piece-size 1048576 \
  --tracker http://127.0.0.1:6969/announce > /dev/null
start_opentracker "$(info_hash "$WORK/swarm.torrent")" "$(info_hash "$WORK/zeros.torrent")"

# --- 1. home profile (or PROFILE), aria2c --------------------------------------------------
# shellcheck disable=SC2086
swarm_profile $PROFILE
t0=$(now)
swarm_start "$WORK/swarm.torrent" "$WORK/src"
echo "swarm of ${#SWARM_RATES[@]} ready in $(awk "BEGIN{printf \"%.1f\", $(now) - $t0}") s"

# once a second: the seeders' sockets' smoothed RTT (ms) and the classes' byte counters
( while :; do
    ss -Htni state established | awk '
      /^[0-9]/ { split($3, a, ":"); src = a[1]; sub(/%.*/, "", src); next }
      src ~ /^127\.0\.0\.1[0-9]$/ && match($0, / rtt:[0-9.]+/) { print src, substr($0, RSTART + 5, RLENGTH - 5) }' >> "$WORK/rtt.log"
    echo "$(date +%s.%N) $(swarm_class_bytes | awk '{ printf "%s ", $2 }')" >> "$WORK/series.log"
    sleep 1
  done ) &
SAMPLER=$!
on_exit "kill_pid $SAMPLER"

mapfile -t before < <(swarm_class_bytes)
cpu0=$(awk '{ print $14 + $15 }' "/proc/$SWARM_PID/stat")
t0=$(now)
aria2c --enable-dht=false --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false \
  --seed-time=0 --file-allocation=none --listen-port=6900 --summary-interval=0 \
  --console-log-level=warn -d "$WORK/aria2" "$WORK/swarm.torrent" > "$WORK/aria2.log" 2>&1 \
  || { cat "$WORK/aria2.log"; fail "aria2c failed"; }
secs=$(awk "BEGIN{print $(now) - $t0}")
mapfile -t after < <(swarm_class_bytes)
cpu=$(awk -v c0="$cpu0" -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15 - c0) / hz }' "/proc/$SWARM_PID/stat")
kill_pid "$SAMPLER"
cmp "$WORK/src/payload/random.bin" "$WORK/aria2/payload/random.bin" || fail "aria2c copy differs"

sum_rates=0 wire=0
for i in "${!SWARM_RATES[@]}"; do
  sum_rates=$((sum_rates + $(swarm_bytes "${SWARM_RATES[i]}")))
  wire=$((wire + ${after[i]#* } - ${before[i]#* }))
done
printf '%s, aria2c: %d MB in %.1f s = %.2f MB/s on the wire (rates add up to %.2f MB/s)\n' \
  "$PROFILE" "$SIZE_MB" "$secs" "$(awk "BEGIN{print $wire / 1e6 / $secs}")" \
  "$(awk "BEGIN{print $sum_rates / 1e6}")"
echo "swarm.py used $cpu CPU-s meanwhile"
# steady state: the samples of the middle half of the download
n=$(wc -l < "$WORK/series.log")
sed -n "$((n / 4 + 1))p;$((n * 3 / 4))p" "$WORK/series.log" > "$WORK/steady.log"
printf '%-6s %-11s %8s %10s %9s %6s %9s %6s %7s\n' seeder address rate sent whole ratio steady ratio rtt_ms
for i in "${!SWARM_RATES[@]}"; do
  rate=$(swarm_bytes "${SWARM_RATES[i]}")
  sent=$(( ${after[i]#* } - ${before[i]#* } ))
  steady=$(awk -v c=$((i + 2)) 'NR == 1 { t = $1; b = $c } NR == 2 { print ($c - b) / ($1 - t) }' "$WORK/steady.log")
  rtt=$(awk -v ip="127.0.0.$((SWARM_FIRST_IP + i))" '$1 == ip { print $2 }' "$WORK/rtt.log" \
        | sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }')
  printf '%-6s %-11s %8s %10d %9.0f %6.2f %9.0f %6.2f %7s\n' "$i" "127.0.0.$((SWARM_FIRST_IP + i))" \
    "$rate" "$sent" "$(awk "BEGIN{print $sent / $secs}")" "$(awk "BEGIN{print $sent / $secs / $rate}")" \
    "$steady" "$(awk "BEGIN{print $steady / $rate}")" "$rtt"
done
echo "(whole: over aria2c's whole run, start-up and tail included; steady: middle half;"
echo " rtt_ms: median smoothed RTT of the seeders' sockets, i.e. their queueing delay)"
swarm_stop

# --- 2. flaky profile, libtorrent probe -----------------------------------------------------
[[ ${FLAKY:-1} == 1 ]] || { echo ok; exit 0; }
swarm_profile flaky
swarm_start "$WORK/zeros.torrent" "$WORK/src2" --peer-log
echo "flaky schedule: $SWARM_FLAKY"
"$PY" "$NT_ROOT/native-test/swarm/probe.py" "$WORK/zeros.torrent" "$WORK/probe" \
  --seconds 85 > "$WORK/probe.log" 2>&1 || { cat "$WORK/probe.log"; fail "probe failed"; }
swarm_events
"$PY" "$NT_ROOT/native-test/swarm/check_flaky.py" "$SWARM_LOG" "$WORK/probe.log" \
  || { grep -v '^probe' "$SWARM_LOG"; fail "a misbehaviour did not happen as scheduled"; }
swarm_stop
echo ok
