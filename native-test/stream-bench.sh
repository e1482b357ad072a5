#!/usr/bin/env bash
# Streaming benchmark: torfs, btfs and peerflix each stream one file of a torrent from the
# same shaped loopback swarm (native-test/swarm), read by the player emulator
# (native-test/player/player.py) at a video's bitrate with a start buffer, a forward cache and
# seeks into parts not downloaded yet; aria2c's download rate over the same swarm is the
# ceiling. Every client starts from a fresh process and data dir with the page cache dropped,
# so each figure is what a user meets first. Clients take turns in a rotating order.
#
# Per run: launch -> ready (mount tree visible / HTTP server answering), first byte and
# startup (ready -> playback starts) as the player sees them, launch -> playing, stalls and
# stall seconds, rebuffering ratio, seek latency (seek -> playback resumes) median and max,
# what the seeders sent (tc counters, on the wire) and how much of it no read needed, peak RSS.
# With --search, on the home profile, the bitrate is raised until each client stalls.
#
#   usage: native-test/stream-bench.sh [--profiles "home one-fast flaky thin"]
#            [--clients "torfs btfs peerflix"] [--bitrate 16M] [--duration 30] [--size-mb 2000]
#            [--search "16M 32M 48M 56M 64M"]
source "$(dirname "$0")/stream-clients.sh"
PROFILES="home one-fast flaky thin" CLIENTS="torfs btfs peerflix" BITRATE=16M DURATION=30
SIZE_MB=2000 SEARCH=""
args=("$@")  # parsed from a copy: lib.sh re-executes the script with "$@"
while (( ${#args[@]} )); do
  case ${args[0]} in
    --profiles) PROFILES=${args[1]} ;;
    --clients) CLIENTS=${args[1]} ;;
    --bitrate) BITRATE=${args[1]} ;;
    --duration) DURATION=${args[1]} ;;
    --size-mb) SIZE_MB=${args[1]} ;;
    --search) SEARCH=${args[1]} ;;
    *) echo "usage: $0 [--profiles P] [--clients C] [--bitrate B] [--duration S] [--size-mb M] [--search RATES]" >&2
       exit 2 ;;
  esac
  (( ${#args[@]} >= 2 )) || { echo "$0: ${args[0]} needs a value" >&2; exit 2; }
  args=("${args[@]:2}")
done
source "$(dirname "$0")/stream-bench-setup.sh"
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
# bits/s with a k/M suffix -> bytes/s
bytes_per_s() { awk -v b="$1" 'BEGIN { m = 1; s = substr(b, length(b)); if (s == "k" || s == "K") m = 1e3;
  if (s == "M") m = 1e6; if (m > 1) b = substr(b, 1, length(b) - 1); printf "%d", b * m / 8 }'; }

mkdir -p "$WORK/src"
SRC="$WORK/src/movie.bin"
echo "generating a ${SIZE_MB} MB payload..." >&2
head -c $((SIZE_MB * 1000000)) /dev/urandom > "$SRC"
torfs create "$SRC" -o "$WORK/t.torrent" --piece-size 1048576 \
  --tracker http://127.0.0.1:6969/announce > /dev/null
start_opentracker "$(info_hash "$WORK/t.torrent")"
PIECE=1048576

# ceiling NAME: aria2c downloads from the running swarm for 20 s; prints its MB/s (payload)
ceiling() {
  drop_caches
  local b0 b1 d="$WORK/d-aria2"
  b0=$(swarm_bytes_sent)
  timeout 20 aria2c --enable-dht=false --enable-dht6=false --bt-enable-lpd=false \
    --enable-peer-exchange=false --seed-time=0 --listen-port=6882 --file-allocation=none \
    -d "$d" --quiet=true "$WORK/t.torrent" > /dev/null 2>&1 || true
  b1=$(swarm_bytes_sent)
  rm -rf "$d"
  sleep 2  # let the seeders notice aria2c left
  awk -v b=$((b1 - b0)) 'BEGIN { printf "%.2f", b * 1448 / 1500 / 1e6 / 20 }'
}

# stream NAME BITRATE DURATION SEEKS...: a fresh swarm (so every client meets the same
# misbehaviour schedule), a fresh client, one player run; prints a JSON line with the player's
# figures plus ready_s, wire_bytes, rss_mb, cpu_s
stream() {
  local name=$1 bitrate=$2 duration=$3; shift 3
  local data="$WORK/d-$name-$RANDOM" b0 b1 rc=0 seeks=() player
  local s; for s in "$@"; do seeks+=(--seek "$s"); done
  swarm_start "$WORK/t.torrent" "$WORK/src"
  drop_caches
  b0=$(swarm_bytes_sent)
  client_start "$name" "$WORK/t.torrent" "$data"
  "$PY" "$PLAYER" "$CLIENT_SOURCE" --bitrate "$bitrate" --duration "$duration" --start-buffer 2 \
    --resume-buffer 1 --cache-ahead 20 --read-timeout 60 --reference "$SRC" "${seeks[@]}" \
    > "$data.json" 2> "$data.player" &
  player=$!
  # a read btfs cannot serve sleeps uninterruptibly: past the deadline, abort the FUSE
  # connection (the read then fails) rather than hang the benchmark
  local deadline=$(( SECONDS + duration * 4 + 120 ))
  while kill -0 "$player" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.5; done
  if kill -0 "$player" 2>/dev/null; then
    echo "$name: player still running after $((duration * 4 + 120)) s: aborting" >&2
    [[ -n $CLIENT_MNT ]] && _fuse_abort "$CLIENT_MNT"
    kill "$player" 2>/dev/null || true
  fi
  wait "$player" || rc=$?
  local out; out=$(cat "$data.json")
  b1=$(swarm_bytes_sent)
  local rss cpu; rss=$(client_rss_kb); cpu=$(client_cpu_s)
  client_stop "$name"
  swarm_stop
  (( rc == 0 )) || echo "$name: player exit $rc: $(tail -1 "$data.player")" >&2
  rm -rf "$data" "$data.mnt" "$data.json" "$data.player"
  "$PY" -c 'import json, sys
d = json.loads(sys.argv[1]) if sys.argv[1] else {"error": "no output"}
d.update(client=sys.argv[2], ready_s=float(sys.argv[3]), wire_bytes=int(sys.argv[4]),
         rss_mb=int(sys.argv[5]) / 1024, cpu_s=float(sys.argv[6]), exit=int(sys.argv[7]))
print(json.dumps(d))' "$out" "$name" "$CLIENT_READY_SECS" $((b1 - b0)) "$rss" "$cpu" "$rc"
}

# row JSON: one markdown table row
row() {
  "$PY" - "$1" <<'PYEOF'
import json, statistics, sys
d = json.loads(sys.argv[1])
name, ready = d["client"], d["ready_s"]
if d.get("startup_s") is None:
    print("| %s | %.2f | failed: %s |||||||||||" % (name, ready, d.get("error")))
    sys.exit()
seeks = [s["resume_s"] for s in d.get("seeks", []) if s.get("resume_s") is not None]
payload = d["wire_bytes"] * 1448 / 1500  # tc counts IP and TCP headers
unneeded = max(0, payload - d["bytes_unique"])
cells = [name, "%.2f" % ready, "%.2f" % d["first_byte_s"], "%.2f" % d["startup_s"],
         "%.2f" % (ready + d["startup_s"]), str(d["stalls"]), "%.1f" % d["stall_s"],
         "%.1f" % (100 * d["rebuffering_ratio"]),
         "%.2f" % statistics.median(seeks) if seeks else "-", "%.2f" % max(seeks) if seeks else "-",
         "%.0f" % (payload / 1e6), "%.0f" % (unneeded / 1e6),
         "%.0f" % d["rss_mb"] + ("" if not d.get("error") else " (%s)" % d["error"])]
print("| " + " | ".join(cells) + " |")
PYEOF
}

HEADER="| client | launch -> ready s | first byte s | startup s | launch -> playing s | stalls | stall s | rebuffering % | seek median s | seek max s | downloaded MB | not needed MB | peak RSS MB |
|---|---|---|---|---|---|---|---|---|---|---|---|---|"
read -r -a CL <<< "$CLIENTS"
# seeks at 6, 12, 18, 24 s of playback, far ahead and behind: parts the background cannot
# have fetched yet (a 2 GB file at <= 8.7 MB/s)
SEEKS=(6:0.31 12:0.73 18:0.52 24:0.91)
REPORT="$WORK/report.md"
{
  echo "## Streaming benchmark, $(date -u +%F): ${SIZE_MB} MB file, 1 MiB pieces, $BITRATE""bit/s, ${DURATION} s played, 4 seeks"
  echo
} > "$REPORT"
turn=0
for profile in $PROFILES; do
  swarm_profile "$profile" "$(bytes_per_s "$BITRATE")"
  total=0; for r in "${SWARM_RATES[@]}"; do total=$(( total + $(swarm_bytes "$r") )); done
  echo "profile $profile (${SWARM_RATES[*]})..." >&2
  swarm_start "$WORK/t.torrent" "$WORK/src"
  ceil=$(ceiling)
  swarm_stop
  rows=()
  for ((k = 0; k < ${#CL[@]}; k++)); do
    c=${CL[(k + turn) % ${#CL[@]}]}
    echo "  $c..." >&2
    j=$(stream "$c" "$BITRATE" "$DURATION" "${SEEKS[@]}")
    echo "$j" >> "$WORK/runs.jsonl"
    rows+=("$(row "$j")")
  done
  turn=$((turn + 1))
  {
    echo "### $profile: seeders ${SWARM_RATES[*]} B/s, $(awk "BEGIN{printf \"%.2f\", $total/1e6}") MB/s in all;" \
      "aria2c over 20 s: $ceil MB/s"
    [[ -n $SWARM_FLAKY ]] && echo "misbehaviour: $SWARM_FLAKY (seeder:what:seconds/period@first)"
    echo
    echo "$HEADER"
    printf '%s\n' "${rows[@]}"
    echo
  } >> "$REPORT"
  cat "$REPORT" >&2
done

if [[ -n $SEARCH ]]; then
  swarm_profile home
  {
    echo "### Highest stall-free bitrate, home profile (20 s played, no seeks)"
    echo
    echo "| client | $(echo "$SEARCH" | sed 's/ / | /g') | highest stall-free |"
    echo "|---|$(for _ in $SEARCH; do printf -- '---|'; done)---|"
  } >> "$REPORT"
  for c in "${CL[@]}"; do
    cells=() best="none"
    for rate in $SEARCH; do
      j=$(stream "$c" "$rate" 20)
      echo "$j" >> "$WORK/runs.jsonl"
      stalls=$("$PY" -c 'import json,sys; d=json.loads(sys.argv[1]); print(d.get("stalls", 99) if d.get("exit") == 0 else 99)' "$j")
      cells+=("$stalls")
      if [[ $stalls == 0 ]]; then best=$rate; else break; fi
    done
    while (( ${#cells[@]} < $(wc -w <<< "$SEARCH") )); do cells+=("-"); done
    echo "| $c | $(printf '%s stalls | ' "${cells[@]}")$best |" >> "$REPORT"
  done
  echo >> "$REPORT"
fi
echo
cat "$REPORT"
[[ -n ${STREAM_BENCH_RUNS:-} ]] && cp "$WORK/runs.jsonl" "$STREAM_BENCH_RUNS"
exit 0
