#!/usr/bin/env bash
# A torrent whose file and directory names pass 255 bytes (ext4's limit): TorFS cuts them as
# libtorrent does, so `torfs info` names every file where python3-libtorrent keeps it, a mount
# serves them from a libtorrent seeder, and `download` creates them (it once paused on
# "File name too long" and never finished).
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

"$PY" "$NT_ROOT/native-test/make_long_names.py" "$WORK/t.torrent" "$WORK/src" > "$WORK/lt-paths"
(( $(wc -l < "$WORK/lt-paths") == 6 )) || fail "make_long_names.py: $(cat "$WORK/lt-paths")"
torfs info --json "$WORK/t.torrent" | "$PY" -c '
import json, sys
t = json.load(sys.stdin)
for f in t["files"]:
    print(t["name"] + "/" + f["path"])' > "$WORK/our-paths"
diff "$WORK/lt-paths" "$WORK/our-paths" > /dev/null || fail "names differ from libtorrent's: $(diff "$WORK/lt-paths" "$WORK/our-paths" | cut -c1-80)"

lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
M="$WORK/mnt"
mount_torfs "$WORK/t.torrent" "$M" --data "$WORK/data" --port 6898 --peer 127.0.0.2:16881 --lazy
while IFS= read -r p; do
  timeout 60 cmp "$M/$p" "$WORK/src/$p" || fail "through the mount: ${p:0:60}... differs"
done < "$WORK/lt-paths"
# the mount's data directory holds them under the same names
while IFS= read -r p; do
  cmp "$WORK/data/$p" "$WORK/src/$p" || fail "the mount's data: ${p:0:60}... differs"
done < "$WORK/lt-paths"

timeout 60 torfs download "$WORK/t.torrent" --data "$WORK/dl" --port 6899 --peer 127.0.0.2:16881 \
  > "$WORK/dl.out" 2>&1 || fail "download: $(tail -3 "$WORK/dl.out")"
while IFS= read -r p; do
  cmp "$WORK/dl/$p" "$WORK/src/$p" || fail "download: ${p:0:60}... differs"
done < "$WORK/lt-paths"
echo "6 files with names cut from up to 304 bytes: mounted, read and downloaded as libtorrent names them"
echo ok
