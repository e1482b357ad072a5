#!/usr/bin/env bash
# Benchmark of the mount beside btfs (Debian), same swarm, same run: a torrent of a 3 GiB
# file + small files + a moov-at-end MP4, 1 MiB pieces, one python3-libtorrent seeder on
# loopback; aria2c's full download of the same torrent as the ceiling (run before and after
# the filesystems, the faster counts). For torfs and btfs, each from a fresh mount and data
# dir with the page cache dropped: mount command -> tree visible; time to first byte of a
# 64 KiB read at 5 cold offsets (one straddling 2 GiB, one past it, the tail); sequential
# `dd bs=1M` of the big file checked with cmp; ffprobe time to the MP4's duration (ffprobe's
# own program loaded first); peak RSS; CPU seconds. Then the same reads and ffprobe each on a
# fresh mount (new data dir, cold caches), as a user who mounts and opens a file at once meets
# them. Prints markdown tables.
#   usage: native-test/bench.sh [BIG_FILE_MIB]
source "$(dirname "$0")/lib.sh"
source "$NT_ROOT/native-test/bench-lib.sh"
in_loopback_netns "$@"
BIG_MIB=${1:-3072}
"$NT_ROOT/scripts/install-deps.sh" --bench
(cd "$NT_ROOT" && mvn -B -q -DskipTests package)

S="$WORK/src/payload"; mkdir -p "$S/extras"
echo "generating payload (${BIG_MIB} MiB + MP4)..." >&2
head -c $((BIG_MIB * 1024 * 1024)) /dev/urandom > "$S/big.bin"
for i in 1 2 3; do head -c $((i * 100000)) /dev/urandom > "$S/extras/small$i.txt"; done
ffmpeg -loglevel error -f lavfi -i testsrc=duration=20:size=1280x720:rate=25 \
  -c:v mpeg4 -b:v 16M "$S/clip.mp4"
torfs create "$S" -o "$WORK/t.torrent" --piece-size 1048576 \
  --tracker http://127.0.0.1:6969/announce > /dev/null
start_opentracker "$(info_hash "$WORK/t.torrent")"
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
BIG=$(stat -c %s "$S/big.bin")
TOTAL=$(du -bc "$S" | tail -1 | cut -f1)
WANT_DURATION=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$S/clip.mp4")
GIB=$((1024 * 1024 * 1024))
OFFSETS=($((BIG / 5)) $((2 * GIB - 32768)) $((2 * GIB + GIB / 3)) $((BIG * 3 / 5)) $((BIG - 65536)))

# aria2c's full download is the ceiling for the sequential read: it runs before and after the
# filesystems and the faster of its two runs counts (the stricter ceiling for us).
aria2c_full() {
  drop_caches
  echo "aria2c full download..." >&2
  local t0; t0=$(now)
  aria2c --enable-dht=false --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false \
    --seed-time=0 --listen-port=6882 --file-allocation=none -d "$WORK/d-aria2" --quiet=true \
    "$WORK/t.torrent" || fail "aria2c failed"
  ARIA_RUNS+=("$(elapsed "$t0")")
  rm -rf "$WORK/d-aria2"
}
ARIA_RUNS=()
aria2c_full

# bench_fs NAME MOUNT_CMD... : fills the row variables for one filesystem
bench_fs() {
  local name=$1; shift
  local M="$WORK/mnt-$name"; mkdir -p "$M"
  drop_caches
  local t0; t0=$(now)
  "$@" "$M" > "$WORK/$name-mount.log" 2>&1 || { cat "$WORK/$name-mount.log"; fail "$name mount failed"; }
  on_exit "fusermount -u -z '$M' 2>/dev/null"
  wait_for test -e "$M/payload/big.bin" || fail "$name: tree never appeared"
  local mount_secs; mount_secs=$(elapsed "$t0")
  local pid
  if [[ $name == torfs ]]; then pid=$(cat "$WORK/d-torfs/torfs.pid"); else pid=$(pgrep -n -f "btfs.*$M"); fi
  local ttfb=() off
  for off in "${OFFSETS[@]}"; do
    t0=$(now)
    dd if="$M/payload/big.bin" of=/dev/null bs=65536 count=1 iflag=skip_bytes skip="$off" status=none \
      || fail "$name: read at $off failed"
    ttfb+=("$(elapsed "$t0")")
  done
  # ffprobe itself was dropped from the page cache with the rest: load it (not the MP4) first,
  # so the figure is the filesystem's, not reading libavcodec from disk (~0.27 s here)
  ffprobe -version > /dev/null
  t0=$(now)
  local dur; dur=$(timeout 120 ffprobe -v error -show_entries format=duration -of csv=p=0 "$M/payload/clip.mp4")
  local probe_secs; probe_secs=$(elapsed "$t0")
  [[ "$dur" == "$WANT_DURATION" ]] || fail "$name: ffprobe says '$dur', want $WANT_DURATION"
  t0=$(now)
  dd if="$M/payload/big.bin" bs=1M status=none | cmp - "$S/big.bin" || fail "$name: sequential read differs"
  local seq_secs; seq_secs=$(elapsed "$t0")
  local rss cpu; rss=$(peak_rss_kb "$pid"); cpu=$(cpu_seconds "$pid")
  local sorted; sorted=$(printf '%s\n' "${ttfb[@]}" | sort -n)
  local median max; median=$(echo "$sorted" | sed -n 3p); max=$(echo "$sorted" | tail -1)
  ROWS+=("$(awk -v n="$name" -v m="$mount_secs" -v md="$median" -v mx="$max" -v s="$seq_secs" \
      -v b="$BIG" -v p="$probe_secs" -v r="$rss" -v c="$cpu" \
      'BEGIN{printf "| %s | %.2f | %.3f | %.3f | %.0f | %.2f | %.0f | %.1f |", n, m, md, mx, b/1e6/s, p, r/1024, c}')")
  echo "$name: ttfb ${ttfb[*]}" >&2
  if [[ $name == torfs ]]; then torfs unmount "$M"; else fusermount -u "$M"; fi
}

# fresh_fs NAME DATA_DIR MOUNT_CMD... : what a user who mounts and opens a file at once meets:
# for each offset, and for ffprobe, a new mount on an empty data dir with caches dropped;
# the time from the read's start to its first 64 KiB, and from the mount command to it
fresh_fs() {
  local name=$1 data=$2; shift 2
  local M="$WORK/fresh-$name"; mkdir -p "$M"
  local reads=() launches=() probe="" what t0 t1
  for what in "${OFFSETS[@]}" ffprobe; do
    rm -rf "$data"; drop_caches
    [[ $what == ffprobe ]] && ffprobe -version > /dev/null
    t0=$(now)
    "$@" "$M" > "$WORK/$name-fresh.log" 2>&1 || { cat "$WORK/$name-fresh.log"; fail "$name fresh mount failed"; }
    on_exit "fusermount -u -z '$M' 2>/dev/null"
    wait_for test -e "$M/payload/big.bin" || fail "$name: tree never appeared"
    t1=$(now)
    if [[ $what == ffprobe ]]; then
      local dur; dur=$(timeout 120 ffprobe -v error -show_entries format=duration -of csv=p=0 "$M/payload/clip.mp4")
      [[ "$dur" == "$WANT_DURATION" ]] || fail "$name: fresh ffprobe says '$dur', want $WANT_DURATION"
      probe=$(elapsed "$t1")
    else
      dd if="$M/payload/big.bin" bs=65536 count=1 iflag=skip_bytes skip="$what" status=none \
        | cmp - <(dd if="$S/big.bin" bs=65536 count=1 iflag=skip_bytes skip="$what" status=none) \
        || fail "$name: fresh read at $what differs"
      reads+=("$(elapsed "$t1")"); launches+=("$(elapsed "$t0")")
    fi
    # the next mount needs the data dir gone: wait for the process to end, not just the mount
    local pid
    if [[ $name == torfs ]]; then pid=$(cat "$data/torfs.pid"); torfs unmount "$M"; else
      pid=$(pgrep -n -f "btfs.*$M"); fusermount -u "$M"
    fi
    [[ -n $pid ]] && while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  done
  rm -rf "$data"
  local r l; r=$(printf '%s\n' "${reads[@]}" | sort -n); l=$(printf '%s\n' "${launches[@]}" | sort -n)
  FRESH_ROWS+=("$(awk -v n="$name" -v md="$(echo "$r" | sed -n 3p)" -v mx="$(echo "$r" | tail -1)" \
      -v lm="$(echo "$l" | sed -n 3p)" -v p="$probe" \
      'BEGIN{printf "| %s | %.3f | %.3f | %.3f | %.2f |", n, md, mx, lm, p}')")
  echo "$name fresh: reads ${reads[*]}; from launch ${launches[*]}; ffprobe $probe" >&2
}

FRESH_ROWS=()
echo "torfs, fresh mounts..." >&2
fresh_fs torfs "$WORK/d-torfs" torfs mount "$WORK/t.torrent" --data "$WORK/d-torfs" --port 6883
echo "btfs, fresh mounts..." >&2
fresh_fs btfs "$WORK/d-btfs" btfs --data-directory="$WORK/d-btfs" --min-port=6884 --max-port=6889 "$WORK/t.torrent"

ROWS=()
echo "torfs..." >&2
bench_fs torfs torfs mount "$WORK/t.torrent" --data "$WORK/d-torfs" --port 6883
rm -rf "$WORK/d-torfs"
echo "btfs..." >&2
bench_fs btfs btfs --data-directory="$WORK/d-btfs" --min-port=6884 --max-port=6889 "$WORK/t.torrent"

aria2c_full
ARIA_SECS=$(printf '%s\n' "${ARIA_RUNS[@]}" | sort -n | head -1)

echo
echo "## Mount benchmark, $(date -u +%F): $(awk "BEGIN{printf \"%.2f\", $TOTAL/1e9}") GB torrent, 1 MiB pieces, one python3-libtorrent seeder on loopback"
echo
echo "aria2c full download (ceiling, the faster of runs of ${ARIA_RUNS[*]} s): ${ARIA_SECS} s, $(awk "BEGIN{printf \"%.0f\", $TOTAL/1e6/$ARIA_SECS}") MB/s"
echo
echo "| fs | mount -> tree s | TTFB median s | TTFB max s | sequential dd MB/s | ffprobe s | peak RSS MB | CPU s |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "Fresh mounts (a new mount, empty data dir and cold caches for each read; read = 64 KiB at each offset):"
echo
echo "| fs | fresh TTFB median s | fresh TTFB max s | launch -> first byte median s | fresh ffprobe s |"
echo "|---|---|---|---|---|"
printf '%s\n' "${FRESH_ROWS[@]}"
