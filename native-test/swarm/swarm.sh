# A shaped swarm of python3-libtorrent seeders for tests and benchmarks.
# Source after native-test/lib.sh (so this runs in its loopback-only namespace, with its
# on_exit, fail, kill_pid, $WORK and $PY). README.md beside this file shows a test.
#
# Seeder i listens on 127.0.0.(10+i):6881; its upload is an htb class on lo selected by its
# source address, so tc's counters say what each seeder sent, whoever downloaded it.

SWARM_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SWARM_FIRST_IP=10
SWARM_PORT=6881
SWARM_QDELAY_MS=${SWARM_QDELAY_MS:-150}  # queue depth of a seeder's uplink, in ms of its rate
SWARM_CC=${SWARM_CC:-reno}  # the namespace's TCP congestion control (README: why not bbr)
SWARM_RATES=()   # bytes/s per seeder, set by swarm_profile
SWARM_FLAKY=""   # swarm.py --flaky schedule, set by swarm_profile
SWARM_PID=""
SWARM_LOG=""

# swarm_movie BYTES: a random file of BYTES at $WORK/src/movie.bin, its torrent (1 MiB pieces,
# our tracker) at $WORK/t.torrent, and opentracker on 127.0.0.1:6969 for it: what a swarm seeds.
swarm_movie() {
  mkdir -p "$WORK/src"
  head -c "$1" /dev/urandom > "$WORK/src/movie.bin"
  torfs create "$WORK/src/movie.bin" -o "$WORK/t.torrent" --piece-size 1M \
    --tracker http://127.0.0.1:6969/announce > /dev/null
  start_opentracker "$(info_hash "$WORK/t.torrent")"
}

# swarm_bytes 3M|60K|1500: bytes/s as a plain number (K = 1000, M = 1000000).
swarm_bytes() {
  [[ $1 =~ ^([0-9]+)([KkMm]?)$ ]] || fail "not a rate in bytes/s (e.g. 3M, 60K, 1500): $1"
  local n=$((10#${BASH_REMATCH[1]}))
  case ${BASH_REMATCH[2]} in
    [Kk]) echo $((n * 1000)) ;;
    [Mm]) echo $((n * 1000000)) ;;
    *) echo "$n" ;;
  esac
}

# swarm_shape RATE...: seeder i's upload (packets from 127.0.0.(10+i)) limited to RATE i, with
# a drop-tail queue of SWARM_QDELAY_MS at that rate; everything else on lo stays unshaped.
swarm_shape() {
  local i rate limit class
  # loopback's 64 KiB MTU would hand the shaper 64 KiB lumps
  ip link set lo mtu 1500
  # a namespace inherits the host's default (bbr here), whose start-up on a loopback RTT
  # floods a short queue: a 60K seeder then sends 9K/s. This sets it for this namespace only.
  echo "$SWARM_CC" > /proc/sys/net/ipv4/tcp_congestion_control
  # no default class: unclassified traffic (the client's requests, the tracker) goes unshaped
  tc qdisc del dev lo root 2>/dev/null || true  # (htb cannot be 'replace'd by htb)
  tc qdisc add dev lo root handle 1: htb
  on_exit "swarm_unshape"
  for ((i = 0; i < $#; i++)); do
    rate=$(swarm_bytes "${@:i+1:1}")
    class=$((SWARM_FIRST_IP + i))  # tc reads it as hex; it only has to be unique
    limit=$(( rate * SWARM_QDELAY_MS / 1000 ))
    (( limit >= 4 * 1514 )) || limit=$((4 * 1514))  # at least a few full packets
    # quantum only matters to classes that borrow, and these never do (ceil = rate)
    tc class add dev lo parent 1: classid "1:$class" htb rate "${rate}bps" ceil "${rate}bps" \
      quantum 1514
    tc qdisc add dev lo parent "1:$class" handle "$class:" bfifo limit "$limit"
    tc filter add dev lo parent 1: protocol ip prio 10 u32 \
      match ip src "127.0.0.$((SWARM_FIRST_IP + i))/32" flowid "1:$class"
  done
}

swarm_unshape() {
  tc qdisc del dev lo root 2>/dev/null || true
  ip link set lo mtu 65536
}

# swarm_profile NAME [BITRATE]: sets SWARM_RATES and SWARM_FLAKY (README.md: the profiles).
swarm_profile() {
  SWARM_FLAKY=""
  case $1 in
    home) SWARM_RATES=(3M 3M 1M 1M 300K 300K 60K 60K) ;;
    one-fast) SWARM_RATES=(100K 100K 100K 100K 3M 100K 100K 100K 100K) ;;
    flaky)
      SWARM_RATES=(2M 2M 1M 1M 500K 500K 250K 250K)
      # two choke 20 s a minute, a 2M one stalls 15 s every 45, a 1M one leaves for 10 s
      SWARM_FLAKY="0:choke:20/60@10,3:choke:20/60@40,1:stall:15/45@20,2:leave:10/40@15" ;;
    thin)
      [[ -n ${2:-} ]] || fail "swarm_profile thin needs the stream's BITRATE (bytes/s)"
      local total w i sum=0
      total=$(( $(swarm_bytes "$2") * 13 / 10 ))
      w=(30 25 18 12 9 6)  # percent: uneven, adds up to 100
      SWARM_RATES=()
      for ((i = 0; i < 5; i++)); do
        SWARM_RATES+=($(( total * w[i] / 100 ))); sum=$(( sum + total * w[i] / 100 ))
      done
      SWARM_RATES+=($(( total - sum )))  # the last takes the rounding: the sum is exact
      ;;
    custom:*) IFS=, read -r -a SWARM_RATES <<< "${1#custom:}" ;;
    *) fail "unknown swarm profile: $1" ;;
  esac
  local r; for r in "${SWARM_RATES[@]}"; do swarm_bytes "$r" > /dev/null; done
}

# swarm_start TORRENT DATA_PARENT [swarm.py options...]: shapes lo, starts the seeders (all
# seeding from DATA_PARENT), waits until all seed; sets SWARM_PID and SWARM_LOG.
swarm_start() {
  local torrent=$1 data=$2; shift 2
  (( ${#SWARM_RATES[@]} )) || swarm_profile home
  swarm_shape "${SWARM_RATES[@]}"
  SWARM_LOG="$WORK/swarm-$RANDOM.log"
  "$PY" "$SWARM_HOME/swarm.py" "$torrent" "$data" --seeders "${#SWARM_RATES[@]}" \
    --first-ip "$SWARM_FIRST_IP" --port "$SWARM_PORT" --flaky "$SWARM_FLAKY" "$@" \
    > "$SWARM_LOG" 2>&1 &
  SWARM_PID=$!
  on_exit "swarm_stop"
  await_line "$SWARM_LOG" '^ready' "$SWARM_PID" 120 "swarm"
}

# swarm_stop: ends the seeders (the shaping and its counters stay until exit).
swarm_stop() {
  [[ -n $SWARM_PID ]] || return 0
  kill_pid "$SWARM_PID"
  SWARM_PID=""
}

# swarm_peers: one IP:PORT line per seeder (e.g. for torfs mount --peer).
swarm_peers() {
  local i
  for ((i = 0; i < ${#SWARM_RATES[@]}; i++)); do
    echo "127.0.0.$((SWARM_FIRST_IP + i)):$SWARM_PORT"
  done
}

# swarm_class_bytes: "I BYTES" per seeder: bytes its tc class sent since swarm_shape (IP and
# TCP headers, BitTorrent messages and its tracker announces included).
swarm_class_bytes() {
  local i
  local stats; stats=$(tc -s class show dev lo)
  for ((i = 0; i < ${#SWARM_RATES[@]}; i++)); do
    awk -v c="1:$((SWARM_FIRST_IP + i))" -v i="$i" '
      $1 == "class" && $3 == c { mine = 1; next }
      mine && $1 == "Sent" { print i, $2; exit }' <<< "$stats"
  done
}

# swarm_bytes_sent: what all seeders sent so far, in bytes (as swarm_class_bytes).
swarm_bytes_sent() {
  swarm_class_bytes | awk '{ s += $2 } END { print s + 0 }'
}

# swarm_events: the misbehaviour so far, 'event EPOCH I WHAT' lines.
swarm_events() {
  grep '^event' "$SWARM_LOG" || true
}
