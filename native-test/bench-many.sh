#!/usr/bin/env bash
# Benchmark of many torrents: N small torrents (generated: a directory with one 256 KiB file
# each, never kept) served by one `torfs mount --watch DIR MNT` and by N btfs processes (btfs
# serves one torrent per mount; its only way), in the same run, no peers. For each: the time
# from the first mount command to every tree visible, the resident memory (RSS) and threads of
# the process(es) once all are up, and their listening TCP and UDP ports. Prints one markdown
# table. Targets (issue 13): torfs RSS at most a tenth of the btfs total; one listening port;
# every tree within 2 s.
#   usage: native-test/bench-many.sh [N]
source "$(dirname "$0")/lib.sh"
source "$NT_ROOT/native-test/bench-lib.sh"
in_loopback_netns "$@"
N=${1:-50}
command -v btfs > /dev/null || skip "btfs not installed"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

W="$WORK/watch"; mkdir -p "$W" "$WORK/src"
"$PY" - "$WORK/src" "$W" "$N" <<'PY'
import os, sys
import libtorrent as lt
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(n):
    d = os.path.join(src, "t%03d" % i)
    os.makedirs(d)
    with open(os.path.join(d, "file.bin"), "wb") as f:
        f.write(os.urandom(256 * 1024))
    fs = lt.file_storage()
    lt.add_files(fs, d)
    ct = lt.create_torrent(fs, 16384, flags=lt.create_torrent.v1_only)
    lt.set_piece_hashes(ct, src)
    with open(os.path.join(out, "t%03d.torrent" % i), "wb") as f:
        f.write(lt.bencode(ct.generate()))
PY

all_visible() { # all_visible MNT: every tNNN/file.bin is there
  local m=$1 i
  for ((i = 0; i < N; i++)); do [[ -f $(printf '%s/t%03d/file.bin' "$m" "$i") ]] || return 1; done
}
# ports PID...: listening TCP and UDP sockets of these processes
ports() {
  local tcp=0 udp=0 p
  for p in "$@"; do
    tcp=$((tcp + $(ss -Htlnp | grep -c "pid=$p," || true)))
    udp=$((udp + $(ss -Hulnp | grep -c "pid=$p," || true)))
  done
  echo "$tcp TCP, $udp UDP"
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
threads() { awk '/^Threads/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

echo "torfs: one mount --watch of $N torrents..." >&2
M="$WORK/mnt-torfs"; mkdir -p "$M"
t0=$(now)
torfs mount --watch "$W" "$M" --data "$WORK/d-torfs" --port 6930 --no-dht || fail "torfs mount failed"
torfs_returned=$(elapsed "$t0")
on_exit "torfs unmount '$M' >/dev/null 2>&1 || fusermount -u -z '$M' 2>/dev/null"
torfs_secs=""
for _ in $(seq 600); do all_visible "$M" && { torfs_secs=$(elapsed "$t0"); break; }; sleep 0.01; done
[[ -n $torfs_secs ]] || fail "torfs: not every tree appeared"
sleep 2 # at rest: the data checks and the first announces are over
pid=$(cat "$WORK"/d-torfs/mounts/*/torfs.pid)
torfs_rss=$(rss_kb "$pid"); torfs_threads=$(threads "$pid"); torfs_ports=$(ports "$pid")
torfs unmount "$M" || fail "torfs unmount failed"

echo "btfs: $N mounts..." >&2
pids=()
t0=$(now)
for ((i = 0; i < N; i++)); do
  b=$(printf "%s/mnt-btfs/t%03d" "$WORK" "$i"); mkdir -p "$b" "$WORK/d-btfs/$i"
  btfs --data-directory="$WORK/d-btfs/$i" --min-port=$((7000 + 2 * i)) --max-port=$((7001 + 2 * i)) \
    "$(printf '%s/t%03d.torrent' "$W" "$i")" "$b" || fail "btfs mount $i failed"
  on_exit "fusermount -u -z '$b' 2>/dev/null"
done
btfs_visible() {
  local i
  for ((i = 0; i < N; i++)); do
    [[ -f $(printf '%s/mnt-btfs/t%03d/t%03d/file.bin' "$WORK" "$i" "$i") ]] || return 1
  done
}
btfs_secs=""
for _ in $(seq 3000); do btfs_visible && { btfs_secs=$(elapsed "$t0"); break; }; sleep 0.01; done
[[ -n $btfs_secs ]] || fail "btfs: not every tree appeared"
sleep 2
btfs_rss=0; btfs_threads=0
for ((i = 0; i < N; i++)); do
  p=$(pgrep -n -f "btfs .*$(printf 'mnt-btfs/t%03d' "$i")\$") || fail "no btfs process for mount $i"
  pids+=("$p")
  btfs_rss=$((btfs_rss + $(rss_kb "$p"))); btfs_threads=$((btfs_threads + $(threads "$p")))
done
btfs_ports=$(ports "${pids[@]}")
for ((i = 0; i < N; i++)); do fusermount -u "$(printf '%s/mnt-btfs/t%03d' "$WORK" "$i")" 2>/dev/null || true; done

cat <<TABLE
$(date -u +%F) — $N torrents of 256 KiB each, no peers; two shared cores

| | processes | all trees visible | RSS at rest | threads | listening sockets |
|---|---|---|---|---|---|
| torfs mount --watch | 1 | $torfs_secs s (the command returned after $torfs_returned s) | $((torfs_rss / 1024)) MB | $torfs_threads | $torfs_ports |
| btfs, one mount each | $N | $btfs_secs s | $((btfs_rss / 1024)) MB | $btfs_threads | $btfs_ports |
TABLE
awk -v t="$torfs_rss" -v b="$btfs_rss" 'BEGIN { printf "torfs RSS / btfs total: %.3f (target <= 0.1)\n", t / b }'
