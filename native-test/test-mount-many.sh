#!/usr/bin/env bash
# One mount, many torrents, against python3-libtorrent seeders: `torfs mount A.torrent MAGNET
# MNT --watch DIR` serves both (the magnet's metadata from its seeder), `torfs add` adds a third
# whose name clashes with the first (it shows suffixed with its info-hash), reading all three
# at once gives right bytes, a .torrent written slowly into the watch folder shows once whole
# and goes when deleted, as does a .magnet file's; `torfs status --json` agrees with what the
# seeders report sending; removing a torrent while a file of it is open: new opens fail, the
# open one reads to its end; --delete-data deletes its data; one process, one listening port.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

mk() { # mk NAME DIR: a payload, its .torrent, a seeder at 127.0.0.N
  local src="$WORK/src$1"
  mkdir -p "$src"
  case $2 in
    tree) make_payload "$src/payload" ;;
    file) head -c 3000000 /dev/urandom > "$src/single.bin" ;;
  esac
  "$PY" "$NT_ROOT/native-test/lt_make.py" "$src/$( [[ $2 == tree ]] && echo payload || echo single.bin)" \
    "$WORK/$1.torrent" 65536 v1 > /dev/null
  LT_STATUS_FILE="$WORK/$1.sent" lt_seed "$WORK/$1.torrent" "$src" "127.0.0.$3:16881"
}
mk a tree 2
mk b file 3
mk c tree 4
mk d file 5
HA=$(info_hash "$WORK/a.torrent"); HB=$(info_hash "$WORK/b.torrent")
HC=$(info_hash "$WORK/c.torrent"); HD=$(info_hash "$WORK/d.torrent")
PEERS=(--peer 127.0.0.2:16881 --peer 127.0.0.3:16881 --peer 127.0.0.4:16881 --peer 127.0.0.5:16881)
M="$WORK/mnt"; W="$WORK/watch"; D="$WORK/data"
mkdir -p "$W"
mkdir -p "$M"
torfs mount "$WORK/a.torrent" "magnet:?xt=urn:btih:$HB&dn=single.bin&x.pe=127.0.0.3:16881" "$M" \
  --watch "$W" --data "$D" --port 6910 "${PEERS[@]}" --no-dht || fail "torfs mount failed"
on_exit "torfs unmount '$M' >/dev/null 2>&1 || fusermount -u -z '$M' 2>/dev/null"
[[ -d "$M/payload" ]] || fail "A not visible when mount returned: $(ls "$M")"
wait_for test -f "$M/single.bin" || fail "the magnet's file did not show: $(ls "$M")"

# add through the CLI: same top name as A, so it shows suffixed with its info-hash (each control
# command names its mount: another test's mount may be running beside this one)
torfs add --mount "$M" "$WORK/c.torrent" > "$WORK/add.out" || fail "torfs add failed"
grep -q "^added payload-${HC:0:8} ($HC)" "$WORK/add.out" || fail "add said: $(cat "$WORK/add.out")"
[[ -d "$M/payload-${HC:0:8}" ]] || fail "C not visible after add: $(ls "$M")"
set +e; torfs add --mount "$M" "$WORK/c.torrent" > "$WORK/dup.out" 2>&1; rc=$?; set -e
[[ $rc -eq 2 && $(wc -l < "$WORK/dup.out") -eq 1 ]] || fail "adding C twice: exit $rc: $(cat "$WORK/dup.out")"

# all three at once
diff <(tree_sums "$WORK/srca/payload") <(tree_sums "$M/payload") > "$WORK/ra" 2>&1 & ja=$!
cmp "$WORK/srcb/single.bin" "$M/single.bin" > "$WORK/rb" 2>&1 & jb=$!
diff <(tree_sums "$WORK/srcc/payload") <(tree_sums "$M/payload-${HC:0:8}") > "$WORK/rc" 2>&1 & jc=$!
wait $ja || fail "A differs: $(cat "$WORK/ra")"
wait $jb || fail "B differs: $(cat "$WORK/rb")"
wait $jc || fail "C differs: $(cat "$WORK/rc")"

# the watch folder: a .torrent written in two halves shows once it parses, and only then
size=$(stat -c %s "$WORK/d.torrent")
head -c $((size / 2)) "$WORK/d.torrent" > "$W/d.torrent"
sleep 1.5
[[ -e "$M/single-${HD:0:8}.bin" || -e "$M/single.bin-${HD:0:8}" ]] && fail "half a .torrent was served"
cat "$WORK/d.torrent" > "$W/d.torrent"
wait_for test -f "$M/single-${HD:0:8}.bin" || fail "D did not show: $(ls "$M")"
cmp "$WORK/srcd/single.bin" "$M/single-${HD:0:8}.bin" || fail "D differs"

# status --json: every torrent complete, and what we received is what each seeder sent (the
# seeders' counters lag a second or so behind their sockets: asked again until they agree)
check_status() {
  torfs status --mount "$M" --json > "$WORK/status.json" || fail "status --json failed"
  "$PY" - "$WORK/status.json" "$WORK" "$HA" "$HB" "$HC" "$HD" > "$WORK/status.check" 2>&1 <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
work = sys.argv[2]
by_hash = {t["hashString"]: t for t in st["torrents"]}
assert len(by_hash) == 4, sorted(by_hash)
for name, h in zip("abcd", sys.argv[3:]):
    t = by_hash[h]
    assert t["state"] == "seeding" and t["haveValid"] == t["totalSize"] and t["percentDone"] == 1.0, t
    assert t["pieceChunks"] == [{"status": "complete", "numPieces": t["pieceCount"]}], t["pieceChunks"]
    assert all(f["bytesCompleted"] == f["length"] for f in t["files"]), t["files"]
    sent = int(open(f"{work}/{name}.sent").read().split()[1])
    got, wasted = t["downloadedEver"], t["wastedEver"]
    # every byte we count was sent; the seeder also counts what it wrote to the socket that we
    # never read: queued requests in flight when the finished download closed the connection
    # (up to our queue of 64 blocks and the kernel's socket buffers); never more than 4 MiB
    assert got + wasted <= sent <= got + wasted + (4 << 20) and got == t["totalSize"], (name, got, wasted, sent)
    # one peer a torrent: nothing to race, so no block comes twice (a cancelled one is not asked
    # for again before the peer answers the cancel; before, up to 25 MB of a 6 MB torrent came twice)
    assert wasted <= 16 * 16384, (name, "duplicates", wasted)
    print(f"{name}: status says {got} + {wasted} wasted bytes received, seeder says {sent} sent")
PY
}
for try in $(seq 10); do check_status && break; sleep 0.5; done
cat "$WORK/status.check"
(( try < 10 )) || { cat "$WORK"/*.sent; fail "status disagrees with the seeders: $(cat "$WORK/status.json")"; }
torfs list --mount "$M" | grep -q "single-${HD:0:8}.bin" || fail "list: $(torfs list --mount "$M")"
# --watch redraws until its reader goes: `| head` ends it (it once wrote into the closed pipe until unmount)
timeout 20 torfs status --mount "$M" --watch | head -1 | grep -q "^HASH" || fail "status --watch | head did not end"
# the shared limits, set while running
torfs limits --mount "$M" --max-down 1M --max-up 500K > "$WORK/limits.out" || fail "torfs limits failed"
grep -q "^upload limit: 500.0 KiB/s, download limit: 1.0 MiB/s (shared by 4 torrents)" "$WORK/limits.out" \
  || fail "limits said: $(cat "$WORK/limits.out")"
torfs limits --mount "$M" --max-down 0 | grep -q "download limit: none" || fail "limits not lifted"

# remove while a file is open: new opens fail, the open one reads to its end
exec 7< "$M/payload/media/big.bin"
head -c 100000 <&7 > "$WORK/part1"
torfs remove --mount "$M" payload > "$WORK/rm.out" || fail "remove failed"
grep -q "^removed payload ($HA)" "$WORK/rm.out" || fail "remove said: $(cat "$WORK/rm.out")"
[[ -e "$M/payload" ]] && fail "removed torrent still listed"
cat "$M/payload/sub/small.txt" > /dev/null 2>&1 && fail "opened a file of a removed torrent"
cat <&7 > "$WORK/part2" || { tail -5 "$D"/mounts/*/torfs.log; ls -la /proc/self/fd/ 2>&1 | head; python3 -c "import os; print(os.fstat(7)); print(len(os.read(7, 100)))"; fail "reading the open file failed"; }
exec 7<&-
cmp <(cat "$WORK/part1" "$WORK/part2") "$WORK/srca/payload/media/big.bin" || fail "the open file read wrong"
[[ -d "$D/$HA" ]] || fail "A's data deleted without --delete-data"
torfs remove --mount "$M" --delete-data "${HC:0:10}" > /dev/null || fail "remove --delete-data failed"
wait_for test ! -e "$D/$HC" || fail "C's data not deleted"

# deleting the watched file removes its torrent
rm "$W/d.torrent"
wait_for test ! -e "$M/single-${HD:0:8}.bin" || fail "D still there after its file went"

# a .magnet file in the watch folder (one magnet a line, comments skipped) brings A back: its
# metadata from the seeder, its data still on disk from before
printf '# dropped by a browser\nmagnet:?xt=urn:btih:%s&dn=payload&x.pe=127.0.0.2:16881\n' "$HA" > "$W/a.magnet"
wait_for test -f "$M/payload/sub/small.txt" || fail "the .magnet file's torrent did not show: $(ls "$M")"
cmp "$M/payload/sub/small.txt" "$WORK/srca/payload/sub/small.txt" || fail "A via .magnet differs"
rm "$W/a.magnet"
wait_for test ! -e "$M/payload" || fail "A still there after its .magnet file went"

# one process, one listening TCP port
pid=$(cat "$D"/mounts/*/torfs.pid)
ports=$(ss -Htlnp | grep -c "pid=$pid," || true)
[[ $ports -eq 1 ]] || fail "the mount listens on $ports TCP ports: $(ss -tlnp)"
# a mount of many starts lean (scripts/torfs): its young generation, one C1 thread, no warm-up
# of the peers' path, and it maps the mounts' own class-data archive, where the build made one
args=$(tr '\0' ' ' < "/proc/$pid/cmdline")
for flag in -Xmn1m -XX:CICompilerCount=1 -Dtorfs.mount.many=true; do
  [[ " $args " == *" $flag "* ]] || fail "the mount of many was started without $flag: $args"
done
if [[ -f $NT_ROOT/target/torfs-many.jsa && $NT_ROOT/target/torfs-many.jsa -nt $TORFS_JAR ]]; then
  grep -q 'torfs-many\.jsa' "/proc/$pid/maps" || fail "the mount of many does not map target/torfs-many.jsa"
fi

# beside a mount of one torrent: without --mount, add goes to the only mount of many (the
# mount of one refuses it), status asks which (checked only when no other test's mount runs)
O="$WORK/one"; mkdir -p "$O"
torfs mount "$WORK/d.torrent" "$O" --data "$WORK/d-one" --port 6911 --peer 127.0.0.5:16881 --no-dht \
  || fail "the mount of one torrent failed"
on_exit "torfs unmount '$O' >/dev/null 2>&1 || fusermount -u -z '$O' 2>/dev/null"
if [[ $(grep -c ' fuse.torfs ' /proc/mounts) -eq 2 ]]; then
  set +e; torfs add "$WORK/c.torrent" > "$WORK/route.out" 2>&1; rc=$?; set -e  # C was removed above
  [[ $rc -eq 0 ]] && grep -q "^added payload ($HC)" "$WORK/route.out" \
    || fail "add without --mount did not reach the mount of many: exit $rc: $(cat "$WORK/route.out")"
  wait_for test -d "$M/payload" || fail "C not in the mount of many after add: $(ls "$M")"
  set +e; torfs status > "$WORK/route.out" 2>&1; rc=$?; set -e
  [[ $rc -eq 2 ]] && grep -q "several TorFS mounts are running" "$WORK/route.out" \
    || fail "status without --mount beside two mounts: exit $rc: $(cat "$WORK/route.out")"
fi
torfs unmount "$O" || fail "unmount of the mount of one torrent failed"

torfs unmount "$M" || fail "unmount failed"
wait_for bash -c "! kill -0 $pid 2>/dev/null" || fail "the mount process did not end"
mountpoint -q "$M" && fail "still mounted"
LOG=$(echo "$D"/mounts/*/torfs.log)
no_java "$LOG"
# after the mount came up, one log line per torrent that came or went (the first ones: none)
has() { [[ $(grep -cE "^[0-9-]+ [0-9:.]+ torfs: $1\$" "$LOG") == "$2" ]] || fail "want $2 log lines '$1': $(cat "$LOG")"; }
has "payload-${HC:0:8}: added \(${HC:0:8}\)" 1
has "payload: added \(${HA:0:8}\)" 1  # back through the .magnet file; not when the mount began
has "payload: removed" 2
has "payload-${HC:0:8}: removed; its data goes once its files close" 1
has "single-${HD:0:8}.bin: removed" 1
echo ok
