#!/usr/bin/env bash
# The player emulator (native-test/player/player.py) agrees with Debian's mpv on a real,
# throttled HTTP stream: a CBR MPEG-TS served at 3x its bitrate plays without a stall in
# both; served at 0.6x both stall, about as often and for about as long.
#
# Both read the same file from native-test/player/throttled_http.py at the same time (each
# response is paced on its own) with the same cache model:
#   mpv  --cache=yes --cache-secs=20 --demuxer-readahead-secs=20   read ahead 20 s of media
#        --cache-pause-initial=yes --cache-pause-wait=2             start and resume at 2 s
#        --demuxer-lavf-probe-info=nostreams    no avformat_find_stream_info, whose duration
#                                               probe reads 250000 bytes at the file's end and
#                                               then the start again (not modelled here)
#   emulator --cache-ahead 20 --start-buffer 2 --resume-buffer 2, --bitrate = size*8/duration
# mpv is watched over its JSON IPC (native-test/player/mpv_watch.py): a stall is
# `paused-for-cache` turning true after playback began.
#
# What must agree, and why these tolerances:
#   fast  both 0 stalls.
#   slow  both > 0 stalls; counts differ by at most 1 (a stall that falls right at the end of
#         the played time can land on either side); total stall seconds within 35 % of the
#         larger or 2 s. mpv checks its cache only every 0.2 s while paused for it and plays
#         the frames still queued after its demuxer cache ran dry, so each of its stalls ran
#         0.1-0.2 s longer than the model's (two stalls: mpv 6.94-7.12 s, the emulator
#         6.76-6.89 s, over five runs; with mpv's default probing one run in four took
#         8.0 s). The two checks catch different mistakes: the total stall time follows the
#         rate deficit (a bitrate taken as bytes, or a wrong rate, moves it by seconds); the
#         count follows the resume threshold (the emulator resuming at 1 s gives 4 stalls,
#         at 0.04 s 77, against mpv's 2).
# No threshold applies to either program's absolute timing, only to their agreement.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
command -v mpv >/dev/null || skip "mpv not installed"
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || skip "ffmpeg not installed"
PD="$NT_ROOT/native-test/player"

# 60 s, 640x360 testsrc, mpeg2video CBR 4 Mbit/s in a constant-rate (muxrate) MPEG-TS: bytes
# and media time advance in lockstep, as the emulator assumes
V="$WORK/clip.ts"
ffmpeg -loglevel error -f lavfi -i testsrc=size=640x360:rate=25 -t 60 -c:v mpeg2video \
  -b:v 4M -minrate 4M -maxrate 4M -bufsize 1M -bf 0 -g 25 -f mpegts -muxrate 4400k "$V" \
  || fail "ffmpeg could not make the clip"
size=$(stat -c %s "$V")
dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$V")
bitrate=$(awk "BEGIN{printf \"%d\", $size * 8 / $dur}")
echo "clip: $size bytes, $dur s, $bitrate bit/s"

MPV_OPTS=(--cache=yes --cache-secs=20 --demuxer-readahead-secs=20 --cache-pause=yes
  --cache-pause-initial=yes --cache-pause-wait=2 --demuxer-lavf-probe-info=nostreams)
EMU_OPTS=(--bitrate "$bitrate" --cache-ahead 20 --start-buffer 2 --resume-buffer 2
  --reference "$V" --read-timeout 30)

# run_case NAME RATE_BYTES_PER_S DURATION PORT: emulator and mpv at once; JSON in $WORK/NAME.*
run_case() {
  local name=$1 rate=$2 duration=$3 port=$4
  "$PY" "$PD/throttled_http.py" "$V" --port "$port" --rate "$rate" --log "$WORK/$name.http.log" \
    > "$WORK/$name.http.out" 2>&1 &
  local srv=$!
  on_exit "kill_pid $srv"
  wait_for grep -q '^listening' "$WORK/$name.http.out" || fail "the HTTP server did not start"
  local url="http://127.0.0.1:$port/clip.ts"
  "$PY" "$PD/player.py" "$url" "${EMU_OPTS[@]}" --duration "$duration" \
    > "$WORK/$name.emu" 2> "$WORK/$name.emu.err" &
  local emu=$!
  "$PY" "$PD/mpv_watch.py" --duration "$duration" --timeout 90 -- "${MPV_OPTS[@]}" "$url" \
    > "$WORK/$name.mpv" 2> "$WORK/$name.mpv.err" &
  local mpv=$!
  local rc_emu=0 rc_mpv=0
  wait $emu || rc_emu=$?
  wait $mpv || rc_mpv=$?
  kill_pid $srv
  [[ $rc_emu -eq 0 ]] || { cat "$WORK/$name.emu.err" >&2; fail "$name: the emulator exited $rc_emu"; }
  [[ $rc_mpv -eq 0 ]] || { cat "$WORK/$name.mpv.err" >&2; fail "$name: mpv_watch exited $rc_mpv"; }
}

# compare NAME KIND(fast|slow) DURATION: prints both, fails when they disagree
compare() {
  "$PY" - "$WORK/$1.emu" "$WORK/$1.mpv" "$1" "$2" "$3" <<'PYEOF'
import json, sys
emu, mpv = (json.load(open(p)) for p in sys.argv[1:3])
name, kind, want = sys.argv[3], sys.argv[4], float(sys.argv[5])
for who, r in (("emulator", emu), ("mpv", mpv)):
    print(f"{name:5} {who:8}  startup {r['startup_s']:6.2f} s  stalls {r['stalls']}"
          f"  stall {r['stall_s']:6.2f} s  played {r['played_s']:5.1f} s in {r['wall_s']:5.1f} s")
problems = []
if not emu.get("verified"):
    problems.append("the emulator did not verify its bytes")
for who, r in (("emulator", emu), ("mpv", mpv)):
    if r["played_s"] < want - 0.1:
        problems.append(f"{who} stopped after {r['played_s']} s of {want} s")
if kind == "fast":
    if emu["stalls"] or mpv["stalls"]:
        problems.append("expected no stalls at 3x the bitrate")
else:
    if not (emu["stalls"] > 0 and mpv["stalls"] > 0):
        problems.append("expected stalls from both at 0.6x the bitrate")
    if abs(emu["stalls"] - mpv["stalls"]) > 1:
        problems.append("stall counts differ by more than 1")
    gap, big = abs(emu["stall_s"] - mpv["stall_s"]), max(emu["stall_s"], mpv["stall_s"])
    if gap > max(2.0, 0.35 * big):
        problems.append(f"stall seconds differ by {gap:.2f} s (allowed: 2 s or 35 %)")
if problems:
    sys.exit(f"FAIL: {name}: " + "; ".join(problems))
PYEOF
}

byterate=$((bitrate / 8))
run_case fast $((byterate * 3)) 10 18081
run_case slow $((byterate * 6 / 10)) 13 18082
compare fast fast 10
compare slow slow 13
echo ok
