#!/usr/bin/env bash
# Benchmark of mounting a magnet (issue 10), torfs beside btfs and aria2c in the same run, on
# a loopback DHT of python3-libtorrent nodes (8 nodes on 127.0.N.1, node 0 seeding a 256 MiB
# single-file torrent with 1 MiB pieces, announced on the DHT; no tracker). Each round is a
# fresh process with an empty data directory and dropped caches:
#   torfs x.pe   torfs mount MAGNET(btih + x.pe of the seeder)        (DHT off)
#   torfs DHT    torfs mount MAGNET(btih only) --dht-bootstrap NODE   (peers from the DHT)
#   btfs x.pe    btfs MAGNET(btih + x.pe)  (libtorrent reads x.pe; it cannot be given DHT nodes)
#   aria2c DHT   aria2c --bt-metadata-only, DHT entry point NODE (aria2c ignores x.pe)
# Figures: command -> tree visible (the file exists in the mount), command -> first 64 KiB of
# the file read right; aria2c: command -> metadata saved. Medians of ROUNDS (default 5).
# Then the DHT at rest: our node in a seeding torfs on the same DHT for REST_SECONDS (60):
# packets in and out per minute, the routing table's size, the process's RSS.
# usage: native-test/bench-magnet.sh [ROUNDS]
source "$(dirname "$0")/lib.sh"
source "$NT_ROOT/native-test/bench-lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"
ROUNDS=${1:-5}
REST_SECONDS=${REST_SECONDS:-60}
PORT=17300

S="$WORK/src/payload"; mkdir -p "$S"
head -c $((256 << 20)) /dev/urandom > "$S/movie.bin"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$S" "$WORK/t.torrent" 1048576 v1 > /dev/null
H=$(info_hash "$WORK/t.torrent")
"$PY" "$NT_ROOT/native-test/dht/lt_dht_swarm.py" 8 $PORT "$WORK/t.torrent" "$WORK/src" > "$WORK/dht.log" 2>&1 &
DHT_PID=$!
on_exit "kill_pid $DHT_PID"
await_line "$WORK/dht.log" '^ready' "$DHT_PID" 150 "libtorrent DHT swarm"
SEEDER=127.0.1.1:$PORT NODE=127.0.5.1:$PORT
M="$WORK/mnt"; mkdir -p "$M"

# one_round NAME DATA CMD... : appends "tree first" seconds for one fresh mount of CMD
one_round() {
  local name=$1 data=$2; shift 2
  rm -rf "$data"; drop_caches
  local t0 t1 t2 pid
  t0=$(now)
  "$@" > "$WORK/$name.log" 2>&1 || { cat "$WORK/$name.log"; fail "$name: mount failed"; }
  on_exit "fusermount -u -z '$M' 2>/dev/null"
  for _ in $(seq 1200); do [[ -e "$M/payload/movie.bin" ]] && break; sleep 0.025; done
  [[ -e "$M/payload/movie.bin" ]] || fail "$name: tree never appeared"
  t1=$(now)
  dd if="$M/payload/movie.bin" bs=65536 count=1 status=none | cmp - <(head -c 65536 "$S/movie.bin") \
    || fail "$name: first 64 KiB differ"
  t2=$(now)
  echo "$(awk "BEGIN{printf \"%.3f %.3f\", $t1 - $t0, $t2 - $t0}")" >> "$WORK/$name.times"
  if [[ $name == torfs* ]]; then pid=$(cat "$data/torfs.pid"); torfs unmount "$M"; else
    pid=$(pgrep -n -f "btfs.*$M"); fusermount -u "$M"
  fi
  [[ -n $pid ]] && while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  rm -rf "$data"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

for r in $(seq "$ROUNDS"); do
  echo "round $r/$ROUNDS..." >&2
  one_round "torfs-xpe" "$WORK/d-torfs" torfs mount "magnet:?xt=urn:btih:$H&x.pe=$SEEDER" "$M" \
    --data "$WORK/d-torfs" --port 6921 --bind 127.0.0.1
  one_round "torfs-dht" "$WORK/d-torfs" torfs mount "magnet:?xt=urn:btih:$H" "$M" \
    --data "$WORK/d-torfs" --port 6921 --bind 127.0.0.1 --dht-bootstrap "$NODE"
  if command -v btfs > /dev/null; then
    one_round "btfs-xpe" "$WORK/d-btfs" btfs --data-directory="$WORK/d-btfs" --min-port=6924 --max-port=6929 \
      "magnet:?xt=urn:btih:$H&x.pe=$SEEDER" "$M"
  fi
  if command -v aria2c > /dev/null; then
    rm -rf "$WORK/aria"; mkdir -p "$WORK/aria"
    t0=$(now)
    (cd "$WORK/aria" && timeout 120 aria2c --bt-metadata-only=true --bt-save-metadata=true \
      --enable-dht=true --enable-dht6=false --dht-listen-addr=127.0.0.1 --dht-listen-port=6930 \
      --dht-entry-point="$NODE" --dht-file-path="$WORK/aria/dht.dat" --bt-enable-lpd=false \
      --enable-peer-exchange=false --listen-port=6931 --summary-interval=0 --console-log-level=warn \
      "magnet:?xt=urn:btih:$H") > "$WORK/aria.log" 2>&1 || { cat "$WORK/aria.log"; fail "aria2c failed"; }
    [[ -f "$WORK/aria/$H.torrent" ]] || fail "aria2c saved no metadata"
    elapsed "$t0" >> "$WORK/aria2c-dht.times"; echo >> "$WORK/aria2c-dht.times"
  fi
done

row() {
  local name=$1 f="$WORK/$1.times"
  [[ -s $f ]] || return 0
  local tree first
  tree=$(awk '{print $1}' "$f" | median)
  first=$(awk 'NF > 1 {print $2}' "$f" | median)
  echo "| $name | $tree | ${first:--} | $(awk '{print $1}' "$f" | sort -n | tr '\n' ' ')|"
}

# the DHT at rest: a seeding torfs joined to the same DHT, counted from its own node
torfs seed "$WORK/t.torrent" --data "$WORK/src" --port 6932 --bind 127.0.0.1 --dht-bootstrap "$NODE" \
  > "$WORK/rest.log" 2>&1 &
REST_PID=$!
on_exit "kill_pid $REST_PID"
await_line "$WORK/rest.log" '^torfs: seeding' "$REST_PID" 60 "torfs seed"
sleep 10  # past the bootstrap and the first lookup
# lo's own counters would mix in the libtorrent nodes' traffic: two htb classes (unlimited in
# effect) count the datagrams from and to our UDP port; each crosses lo's egress once
tc qdisc add dev lo root handle 1: htb default 30 2>/dev/null
for c in 1 2 30; do tc class add dev lo parent 1: classid 1:$c htb rate 10gbit 2>/dev/null; done
tc filter add dev lo parent 1: protocol ip prio 1 u32 match ip protocol 17 0xff match ip sport 6932 0xffff flowid 1:1
tc filter add dev lo parent 1: protocol ip prio 2 u32 match ip protocol 17 0xff match ip dport 6932 0xffff flowid 1:2
on_exit "tc qdisc del dev lo root 2>/dev/null"
count() { tc -s class show dev lo | awk -v c="1:$1" '$3 == c {getline; print $4; exit}'; }
in0=$(count 1); out0=$(count 2)
sleep "$REST_SECONDS"
in1=$(count 1); out1=$(count 2)
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$REST_PID/status")

echo
echo "## Magnets ($(date -u +%F), $ROUNDS fresh rounds, 256 MiB file, 1 MiB pieces, 8 libtorrent DHT nodes, no tracker)"
echo
echo "| client | command -> tree visible, median (s) | command -> first 64 KiB, median (s) | tree visible, each round (s) |"
echo "|---|---|---|---|"
row torfs-xpe; row torfs-dht; row btfs-xpe; row aria2c-dht
echo
echo "DHT at rest (torfs seed on the same DHT, ${REST_SECONDS} s): $(( (in1 - in0) * 60 / REST_SECONDS )) packets/min in, $(( (out1 - out0) * 60 / REST_SECONDS )) packets/min out; process RSS $((rss / 1024)) MB"
