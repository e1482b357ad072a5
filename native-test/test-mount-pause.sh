#!/usr/bin/env bash
# Pause and resume, and trackers in the status, in a mount of many, against python3-libtorrent
# seeders and opentracker: `torfs status --json` shows the tracker's succeeded announce with the
# peers it gave and a dead tracker's failure;
# `torfs pause` keeps the torrent mounted and serving what it verified, a read of a range it
# lacks fails at once with EIO (one log line however many reads), the seeder sees its
# connection close and sends nothing while paused, the tracker hears `stopped`; the paused
# state survives a remount; `torfs resume` re-announces, reconnects and the rest reads right;
# `torfs add --paused` adds one that fetches nothing until resumed, a magnet too.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"
command -v opentracker >/dev/null || skip "opentracker not installed"

mkdir -p "$WORK/srca/payload/sub" "$WORK/srcb"
head -c $((24 << 20)) /dev/urandom > "$WORK/srca/payload/big.bin"
head -c 54321 /dev/urandom > "$WORK/srca/payload/sub/small.txt"
head -c 2000000 /dev/urandom > "$WORK/srcb/single.bin"
# two tiers: opentracker, and a tracker nobody listens for
torfs create "$WORK/srca/payload" -o "$WORK/a.torrent" --piece-size 65536 \
  --tracker http://127.0.0.1:6969/announce --tracker http://127.0.0.1:1/announce > /dev/null
torfs create "$WORK/srcb/single.bin" -o "$WORK/b.torrent" --piece-size 65536 > /dev/null
HA=$(info_hash "$WORK/a.torrent"); HB=$(info_hash "$WORK/b.torrent")
start_opentracker "$HA"
LT_STATUS_FILE="$WORK/a.sent" lt_seed "$WORK/a.torrent" "$WORK/srca" 127.0.0.2:16881
LT_STATUS_FILE="$WORK/b.sent" lt_seed "$WORK/b.torrent" "$WORK/srcb" 127.0.0.3:16881
sent() { awk '$1 == "total_payload_upload" {print $2}' "$WORK/$1.sent"; }
seeder_peers() { awk '$1 == "num_peers" {print $2}' "$WORK/$1.sent"; }
# scrape: "complete incomplete" as opentracker counts A's peers (the seeder, and us while started)
scrape() {
  "$PY" - "$HA" <<'PY'
import sys, urllib.parse, urllib.request
h = bytes.fromhex(sys.argv[1])
body = urllib.request.urlopen("http://127.0.0.1:6969/scrape?info_hash=" + urllib.parse.quote(h), timeout=5).read()
def num(key):  # d5:filesd20:<hash>d8:completei1e10:downloadedi0e10:incompletei0eeee
    i = body.find(key)
    return int(body[i + len(key) + 1:body.index(b"e", i + len(key))]) if i >= 0 else 0
print(num(b"8:complete"), num(b"10:incomplete"))
PY
}
# wait_scrape WANT...: waits (30 s at most) until the scrape reads one of WANT
wait_scrape() {
  local got
  for _ in $(seq 300); do
    got=$(scrape)
    for w in "$@"; do [[ $got == "$w" ]] && return 0; done
    sleep 0.1
  done
  return 1
}

wait_scrape "1 0" || fail "the seeder did not announce: $(scrape)"

M="$WORK/mnt"; W="$WORK/watch"; D="$WORK/data"
mkdir -p "$M" "$W"
OPTS=(--data "$D" --port 6912 --peer 127.0.0.2:16881 --peer 127.0.0.3:16881 --no-dht --lazy --readahead 256K)
torfs mount "$WORK/a.torrent" "$M" --watch "$W" "${OPTS[@]}" || fail "torfs mount failed"
on_exit "torfs unmount '$M' >/dev/null 2>&1 || fusermount -u -z '$M' 2>/dev/null"

# running: the small file and the first MiB of the big one come down; the tracker counts us
cmp "$M/payload/sub/small.txt" "$WORK/srca/payload/sub/small.txt" || fail "small.txt differs"
cmp <(head -c 1048576 "$M/payload/big.bin") <(head -c 1048576 "$WORK/srca/payload/big.bin") || fail "big.bin head differs"
wait_scrape "1 1" || fail "the tracker did not count us: $(scrape)"

# the status tells each tracker's last announce: opentracker knew the seeder and us (it lists
# the asker too) and gave both; the dead one failed, in words; no DHT here
check_trackers() {
  torfs status --mount "$M" --json > "$WORK/status.json" || fail "status --json failed"
  "$PY" - "$WORK/status.json" > "$WORK/trackers.check" 2>&1 <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
assert st["dht"] == {"enabled": False, "state": "off", "nodes": 0}, st["dht"]
t = st["torrents"][0]
assert t["dht"] is None, t["dht"]
by_url = {s["announce"]: s for s in t["trackerStats"]}
ot, dead = by_url["http://127.0.0.1:6969/announce"], by_url["http://127.0.0.1:1/announce"]
assert ot["tier"] == 0 and dead["tier"] == 1, (ot, dead)
assert ot["hasAnnounced"] and ot["lastAnnounceSucceeded"] and ot["lastAnnounceResult"] == "Success", ot
assert ot["lastAnnouncePeerCount"] == 2 and ot["seederCount"] == 1 and ot["leecherCount"] == 1, ot
assert ot["lastAnnounceTime"] > 0 and ot["nextAnnounceTime"] > ot["lastAnnounceTime"], ot
assert dead["hasAnnounced"] and not dead["lastAnnounceSucceeded"], dead
assert "connection refused" in dead["lastAnnounceResult"], dead
print("opentracker:", {k: ot[k] for k in ("lastAnnouncePeerCount", "seederCount", "leecherCount")},
      "dead:", dead["lastAnnounceResult"])
PY
}
for try in $(seq 20); do check_trackers && break; sleep 0.5; done
cat "$WORK/trackers.check"
(( try < 20 )) || fail "trackers in the status: $(cat "$WORK/status.json")"
torfs status --mount "$M" --trackers > "$WORK/status.txt"
grep -qE "^  tracker http://127.0.0.1:6969/announce \(tier 0\): ok .* ago, 2 peers \(1 seeding, 1 leeching\), next in " \
  "$WORK/status.txt" && grep -qE "^  tracker http://127.0.0.1:1/announce \(tier 1\): failed .* ago: .*connection refused" \
  "$WORK/status.txt" && grep -qx "DHT: off" "$WORK/status.txt" || fail "status --trackers: $(cat "$WORK/status.txt")"

torfs pause --mount "$M" payload > "$WORK/pause.out" || fail "torfs pause failed"
grep -qx "paused payload ($HA)" "$WORK/pause.out" || fail "pause said: $(cat "$WORK/pause.out")"
torfs status --mount "$M" | grep -E "^${HA:0:8} +stopped .* payload$" > /dev/null || fail "status: $(torfs status --mount "$M")"
torfs status --mount "$M" --json | "$PY" -c '
import json, sys
t = json.load(sys.stdin)["torrents"][0]
assert t["state"] == "stopped" and t["peersConnected"] == 0 and t["peers"] == [], t' || fail "status --json while paused"
wait_for test "$(seeder_peers a)" = 0 || fail "the seeder still has $(seeder_peers a) peers"
[[ $(scrape) == "1 0" ]] || fail "the tracker did not hear stopped: $(scrape)"
before=$(sent a)

# verified data still reads; a range never fetched fails at once with EIO, three times, one log line
cmp "$M/payload/sub/small.txt" "$WORK/srca/payload/sub/small.txt" || fail "small.txt differs while paused"
for i in 1 2 3; do
  start=$(date +%s%N)
  if dd if="$M/payload/big.bin" of=/dev/null bs=64k skip=$((300 + i)) count=1 2> "$WORK/dd.err"; then
    fail "a read of data never fetched succeeded while paused"
  fi
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  grep -q "Input/output error" "$WORK/dd.err" || fail "not EIO: $(cat "$WORK/dd.err")"
  (( ms < 3000 )) || fail "the failing read took $ms ms"
done
echo "a read of a missing range failed with EIO in $ms ms"
LOG=$(echo "$D"/mounts/*/torfs.log)
n=$(grep -c "payload is paused" "$LOG" || true)
[[ $n -eq 1 ]] || fail "$n log lines about the pause: $(tail -5 "$LOG")"
sleep 2
[[ $(sent a) == "$before" ]] || fail "the seeder sent $(( $(sent a) - before )) bytes while we were paused"
[[ $(seeder_peers a) == 0 ]] || fail "the seeder got a connection while we were paused"

# the paused state outlives the mount: remounted, it starts paused and reads only what it has
torfs unmount "$M" || fail "unmount failed"
[[ -e "$D/$HA/.torfs/$HA.paused" ]] || fail "no paused mark beside the resume state"
torfs mount "$WORK/a.torrent" "$M" --watch "$W" "${OPTS[@]}" || fail "the remount failed"
torfs list --mount "$M" | grep -qE "^${HA:0:8} +stopped" || fail "remounted not paused: $(torfs list --mount "$M")"
cmp "$M/payload/sub/small.txt" "$WORK/srca/payload/sub/small.txt" || fail "small.txt differs after the remount"
cmp <(head -c 1048576 "$M/payload/big.bin") <(head -c 1048576 "$WORK/srca/payload/big.bin") || fail "head differs after the remount"
dd if="$M/payload/big.bin" of=/dev/null bs=64k skip=300 count=1 2> /dev/null && fail "remounted paused, a missing read succeeded"
sleep 1
[[ $(sent a) == "$before" && $(seeder_peers a) == 0 ]] || fail "remounted paused, it talked to the seeder"
[[ $(scrape) == "1 0" ]] || fail "remounted paused, it announced: $(scrape)"
torfs status --mount "$M" --json | "$PY" -c '
import json, sys
t = json.load(sys.stdin)["torrents"][0]
assert sorted((s["tier"], s["announce"], s["hasAnnounced"]) for s in t["trackerStats"]) == [
    (0, "http://127.0.0.1:6969/announce", False), (1, "http://127.0.0.1:1/announce", False)], t["trackerStats"]' \
  || fail "trackers of a torrent started paused"

# add --paused: in the mount at once, nothing fetched until resumed
torfs add --paused --mount "$M" "$WORK/b.torrent" > "$WORK/add.out" || fail "add --paused failed"
grep -qx "added single.bin ($HB), paused" "$WORK/add.out" || fail "add said: $(cat "$WORK/add.out")"
wait_for test -f "$M/single.bin" || fail "B did not show"
dd if="$M/single.bin" of=/dev/null bs=64k count=1 2> /dev/null && fail "a paused add served data it lacks"
[[ $(sent b) == 0 ]] || fail "B's seeder sent $(sent b) bytes to a paused torrent"

# resume all: announced again, reconnected, everything reads right
torfs resume --mount "$M" --all > "$WORK/resume.out" || fail "resume --all failed"
grep -qx "resumed payload ($HA)" "$WORK/resume.out" && grep -qx "resumed single.bin ($HB)" "$WORK/resume.out" \
  || fail "resume said: $(cat "$WORK/resume.out")"
[[ ! -e "$D/$HA/.torfs/$HA.paused" ]] || fail "the paused mark stayed"
diff <(tree_sums "$WORK/srca/payload") <(tree_sums "$M/payload") || fail "A differs after resume"
cmp "$WORK/srcb/single.bin" "$M/single.bin" || fail "B differs after resume"
wait_scrape "1 1" "2 0" || fail "the tracker did not hear us again: $(scrape)"
(( $(sent a) > before )) || fail "the seeder sent nothing after resume"

# a magnet nobody seeds, added paused: stopped, no metadata fetched; resumed, it looks for it
HX=0123456789abcdef0123456789abcdef01234567
torfs add --paused --mount "$M" "magnet:?xt=urn:btih:$HX&dn=ghost" | grep -qx "added ghost ($HX), paused" \
  || fail "adding a paused magnet"
torfs list --mount "$M" | grep -qE "^${HX:0:8} +stopped .* ghost$" || fail "paused magnet: $(torfs list --mount "$M")"
torfs resume --mount "$M" "${HX:0:8}" | grep -qx "resumed ghost ($HX)" || fail "resuming the magnet"
torfs list --mount "$M" | grep -qE "^${HX:0:8} +metadata .* ghost$" || fail "resumed magnet: $(torfs list --mount "$M")"
torfs pause --mount "$M" ghost > /dev/null && torfs list --mount "$M" | grep -qE "^${HX:0:8} +stopped" \
  || fail "pausing a magnet while it fetches: $(torfs list --mount "$M")"
torfs remove --mount "$M" ghost > /dev/null || fail "removing the paused magnet"

set +e; torfs pause --mount "$M" nope > "$WORK/nope.out" 2>&1; rc=$?; set -e
[[ $rc -eq 2 && $(cat "$WORK/nope.out") == "torfs: no torrent nope" ]] || fail "pause nope: exit $rc: $(cat "$WORK/nope.out")"
torfs unmount "$M" || fail "unmount failed"
no_java "$LOG"
echo ok
