#!/usr/bin/env bash
# A trackerless swarm found through the DHT: six python3-libtorrent DHT nodes on their own
# addresses, one of them seeding and announced; `torfs mount MAGNET` with the btih alone (no
# tr, no x.pe) and one libtorrent node to bootstrap from finds the seeder with get_peers,
# fetches the metadata with ut_metadata and reads every file right. Then aria2c, whose DHT
# entry point is our node, downloads a magnet that only torfs seeds, announced on a DHT of
# libtorrent nodes that seed nothing.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

make_payload "$WORK/src/payload"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$WORK/src/payload" "$WORK/t.torrent" 65536 v1 > /dev/null
H=$(info_hash "$WORK/t.torrent")
"$PY" "$NT_ROOT/native-test/dht/lt_dht_swarm.py" 6 17100 "$WORK/t.torrent" "$WORK/src" > "$WORK/dht.log" 2>&1 &
DHT_PID=$!
on_exit "kill_pid $DHT_PID"
await_line "$WORK/dht.log" '^ready' "$DHT_PID" 150 "libtorrent DHT swarm"

M="$WORK/mnt"
start=$(date +%s%N)
mount_torfs "magnet:?xt=urn:btih:$H" "$M" --data "$WORK/data" --port 6911 --bind 127.0.0.1 \
  --dht-bootstrap 127.0.3.1:17100 --metadata-timeout 60
echo "tree visible after $(( ($(date +%s%N) - start) / 1000000 )) ms"
[[ -f "$M/payload/media/big.bin" ]] || fail "tree not visible after mount returned"
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$M/payload") || fail "files through the mount differ"
torfs unmount "$M" || fail "unmount failed"

# our DHT node is aria2c's only entry point; torfs seeds what it downloaded, announced on
# the DHT; aria2c (no x.pe support) must find it there
if command -v aria2c > /dev/null; then
  kill_pid "$DHT_PID"  # only torfs has the data now
  "$PY" "$NT_ROOT/native-test/dht/lt_dht_swarm.py" 4 17200 > "$WORK/dht2.log" 2>&1 &
  DHT2_PID=$!
  on_exit "kill_pid $DHT2_PID"
  await_line "$WORK/dht2.log" '^ready' "$DHT2_PID" 150 "second libtorrent DHT"
  torfs seed "magnet:?xt=urn:btih:$H" --data "$WORK/data" --port 6912 --bind 127.0.0.1 \
    --dht-bootstrap 127.0.2.1:17200 > "$WORK/seed.log" 2>&1 &
  SEED_PID=$!
  on_exit "kill_pid $SEED_PID"
  await_line "$WORK/seed.log" '^torfs: seeding' "$SEED_PID" 60 "torfs seed"
  mkdir -p "$WORK/aria"
  (cd "$WORK/aria" && timeout 150 aria2c --enable-dht=true --enable-dht6=false --dht-listen-addr=127.0.0.5 \
      --dht-listen-port=6913 --dht-entry-point=127.0.0.1:6912 --dht-file-path="$WORK/aria/dht.dat" \
      --bt-enable-lpd=false --enable-peer-exchange=false --listen-port=6914 --seed-time=0 \
      --bt-stop-timeout=140 --summary-interval=0 --console-log-level=warn \
      "magnet:?xt=urn:btih:$H") > "$WORK/aria.log" 2>&1 || { cat "$WORK/aria.log"; fail "aria2c did not download through our DHT node"; }
  diff <(tree_sums "$WORK/src/payload") <(tree_sums "$WORK/aria/payload") || fail "aria2c's files differ"
  echo "aria2c downloaded the magnet from torfs, found through torfs's DHT node"
fi
echo ok
