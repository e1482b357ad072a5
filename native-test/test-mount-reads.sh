#!/usr/bin/env bash
# Through a mount of a python3-libtorrent-seeded torrent: four concurrent readers of
# different files and one reader seeking at random all get the right bytes; ffprobe reads
# the duration of a moov-at-end MP4 well before the download completes (--lazy); `torfs status`
# shows such a mount of one torrent, and `torfs add` to it is refused in one line.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

S="$WORK/src/payload"
mkdir -p "$S/v"
for i in 1 2 3 4; do head -c $((20000000 + i * 777)) /dev/urandom > "$S/file$i.bin"; done
have_ffmpeg=0
if command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null; then
  have_ffmpeg=1
  # mpeg4 at a high bitrate: ~30 MB, moov atom written at the end (no faststart)
  ffmpeg -loglevel error -f lavfi -i testsrc=duration=12:size=640x360:rate=25 \
    -c:v mpeg4 -b:v 20M "$S/v/clip.mp4"
fi
"$PY" "$NT_ROOT/native-test/lt_make.py" "$S" "$WORK/t.torrent" 262144 v1 > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881

M="$WORK/mnt"
mount_torfs "$WORK/t.torrent" "$M" --data "$WORK/data" --port 6898 --peer 127.0.0.2:16881 --lazy
if [[ $have_ffmpeg -eq 1 ]]; then
  want=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$S/v/clip.mp4")
  start=$(date +%s.%N)
  got=$(timeout 60 ffprobe -v error -show_entries format=duration -of csv=p=0 "$M/payload/v/clip.mp4") \
    || fail "ffprobe through the mount failed"
  secs=$(awk "BEGIN{printf \"%.2f\", $(date +%s.%N) - $start}")
  [[ "$got" == "$want" ]] || fail "ffprobe says $got, the source $want"
  # --lazy: only what ffprobe read (and its readahead) is fetched; the clip is ~30 % of the torrent
  pct=$(progress_pct "$M/payload")
  (( pct < 50 )) || fail "ffprobe took $pct % of the torrent"
  echo "ffprobe: duration $got in ${secs}s with $pct % of the torrent downloaded"
fi

pids=()
for i in 1 2 3 4; do
  (cmp "$M/payload/file$i.bin" "$S/file$i.bin") & pids+=($!)
done
# random seeks: 40 reads of 64 KiB at random offsets
(
  size=$(stat -c %s "$S/file1.bin")
  for _ in $(seq 40); do
    off=$(( (RANDOM * 32768 + RANDOM) % (size - 65536) ))
    cmp <(dd if="$M/payload/file1.bin" bs=65536 count=1 iflag=skip_bytes skip=$off status=none) \
        <(dd if="$S/file1.bin" bs=65536 count=1 iflag=skip_bytes skip=$off status=none) \
      || { echo "random read at $off differs"; exit 1; }
  done
) & pids+=($!)
for p in "${pids[@]}"; do wait "$p" || fail "a concurrent reader got wrong bytes"; done
# a mount of one torrent answers `torfs status` too (found through the mount table alone);
# adding to it is refused in one line, exit 2
torfs status > "$WORK/status.out" 2>&1 || fail "torfs status: $(cat "$WORK/status.out")"
grep -qE "^[0-9a-f]{8} +(downloading|seeding) .* payload$" "$WORK/status.out" || fail "status: $(cat "$WORK/status.out")"
torfs status --mount "$M" --json | "$PY" -c '
import json, sys
t = json.load(sys.stdin)["torrents"]
assert len(t) == 1 and t[0]["name"] == "payload", t
assert t[0]["haveValid"] == t[0]["totalSize"] == sum(f["length"] for f in t[0]["files"]), t[0]
assert len(t[0]["files"]) == (5 if '"$have_ffmpeg"' else 4), t[0]  # every file was read whole
' || fail "status --json of a mount of one torrent"
rc=0; torfs add "$WORK/t.torrent" > "$WORK/add.out" 2>&1 || rc=$?
(( rc == 2 )) && [[ $(wc -l < "$WORK/add.out") -eq 1 ]] && grep -q "^torfs: a mount of one torrent serves only it" "$WORK/add.out" \
  || fail "add to a mount of one torrent: exit $rc, $(cat "$WORK/add.out")"
no_java "$WORK/add.out"
echo ok
