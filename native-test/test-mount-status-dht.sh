#!/usr/bin/env bash
# The DHT in the status of a mount of many: a loopback DHT of six python3-libtorrent nodes, one
# of them seeding a trackerless torrent; `torfs mount T.torrent MNT --watch DIR` bootstrapped from
# one node. `torfs status --json` shows the node ready with nodes in its routing table and, for
# the torrent, a finished get_peers lookup that found the seeder (the one peer in this DHT) and
# when the next runs; paused, no lookup is scheduled and the last one's result stays; resumed, a
# new lookup runs and finds the seeder and us (the first lookup announced us). `torfs status --trackers` says the same in words.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

mkdir -p "$WORK/src" "$WORK/watch" "$WORK/mnt"
head -c 3000000 /dev/urandom > "$WORK/src/film.bin"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$WORK/src/film.bin" "$WORK/t.torrent" 65536 v1 > /dev/null
"$PY" "$NT_ROOT/native-test/dht/lt_dht_swarm.py" 6 17300 "$WORK/t.torrent" "$WORK/src" > "$WORK/dht.log" 2>&1 &
DHT_PID=$!
on_exit "kill_pid $DHT_PID"
await_line "$WORK/dht.log" '^ready' "$DHT_PID" 150 "libtorrent DHT swarm"

M="$WORK/mnt"
torfs mount "$WORK/t.torrent" "$M" --watch "$WORK/watch" --data "$WORK/data" --port 6931 --bind 127.0.0.1 \
  --dht-bootstrap 127.0.3.1:17300 || fail "torfs mount failed"
on_exit "torfs unmount '$M' >/dev/null 2>&1 || fusermount -u -z '$M' 2>/dev/null"
cmp "$WORK/src/film.bin" "$M/film.bin" || fail "film.bin differs" # its only peer came from the DHT

# check_dht WHAT: the status's DHT parts as WHAT (found, paused, resumed) expects them
check_dht() {
  torfs status --mount "$M" --json > "$WORK/status.json" || fail "status --json failed"
  "$PY" - "$WORK/status.json" "$1" > "$WORK/dht.check" 2>&1 <<'PY'
import json, sys
st, what = json.load(open(sys.argv[1])), sys.argv[2]
node, t = st["dht"], st["torrents"][0]
d = t["dht"]
assert node["enabled"] and node["state"] == "ready" and node["nodes"] >= 1, node
assert d is not None and d["lastLookupTime"] > 0, d
# first the seeder alone; after the resume also ourselves: our first lookup announced us
assert d["lastLookupPeerCount"] == (2 if what == "resumed" else 1) and d["lastLookupNodeCount"] >= 1, d
if what == "paused":
    assert t["state"] == "stopped" and d["nextLookupTime"] == 0 and not d["lookingUp"], d
else:
    assert d["nextLookupTime"] > d["lastLookupTime"], d
print(what, "node:", node, "torrent:", d)
PY
}
for try in $(seq 40); do check_dht found && break; sleep 0.5; done
cat "$WORK/dht.check"
(( try < 40 )) || fail "the DHT in the status: $(cat "$WORK/status.json")"
first=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["torrents"][0]["dht"]["lastLookupTime"])' "$WORK/status.json")
torfs status --mount "$M" --trackers > "$WORK/status.txt"
grep -qE "^  dht: 1 peer from [0-9]+ nodes .* ago, (next in |looking up)" "$WORK/status.txt" \
  && grep -qE "^DHT: ready, [0-9]+ nodes$" "$WORK/status.txt" || fail "status --trackers: $(cat "$WORK/status.txt")"

torfs pause --mount "$M" --all > /dev/null || fail "pause failed"
check_dht paused || fail "paused: $(cat "$WORK/dht.check")"
cat "$WORK/dht.check"
sleep 1 # lookups are timed in whole seconds: the next one starts in a later second
torfs resume --mount "$M" --all > /dev/null || fail "resume failed"
for try in $(seq 40); do
  check_dht resumed && "$PY" -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["torrents"][0]["dht"]["lastLookupTime"] <= int(sys.argv[2]))' \
    "$WORK/status.json" "$first" && break
  sleep 0.5
done
cat "$WORK/dht.check"
(( try < 40 )) || fail "no new lookup after resume: $(cat "$WORK/status.json")"
torfs unmount "$M" || fail "unmount failed"
no_java "$(echo "$WORK"/data/mounts/*/torfs.log)"
echo ok
