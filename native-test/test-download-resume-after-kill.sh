#!/usr/bin/env bash
# A download killed with SIGKILL at about half way resumes and completes without
# fetching verified pieces again.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

mkdir -p "$WORK/src/payload"
head -c 40000000 /dev/urandom > "$WORK/src/payload/data.bin"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$WORK/src/payload" "$WORK/t.torrent" 262144 v1 > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
# 4 MB/s: the kill lands around the middle
torfs download "$WORK/t.torrent" --data "$WORK/dst" --port 6896 --peer 127.0.0.2:16881 \
  --max-down 4000000 > "$WORK/dl1.log" 2>&1 &
DL=$!
on_exit "kill_pid $DL"
sleep 5
kill -9 "$DL"; wait "$DL" 2>/dev/null || true
before=$(torfs verify "$WORK/t.torrent" --data "$WORK/dst" | grep -o 'verified [0-9]*/[0-9]*' || true)
n=$(echo "$before" | grep -o '[0-9]*/' | tr -d /)
total=$(echo "$before" | grep -o '/[0-9]*' | tr -d /)
[[ -n "$n" && $n -gt 0 && $n -lt $total ]] || fail "expected a partial download, got '$before'"
timeout 120 torfs download "$WORK/t.torrent" --data "$WORK/dst" --port 6896 --peer 127.0.0.2:16881 \
  > "$WORK/dl2.log" 2>&1 || { cat "$WORK/dl2.log"; fail "resumed download failed"; }
cmp "$WORK/src/payload/data.bin" "$WORK/dst/payload/data.bin" || fail "resumed file differs"
# the resumed run reports what it fetched; it must be at most what was missing (+1 piece of slack)
got=$(grep -o 'downloaded [0-9]* bytes' "$WORK/dl2.log" | tail -1 | grep -o '[0-9]*' || true)
[[ -n "$got" ]] || { cat "$WORK/dl2.log"; fail "download did not report bytes downloaded"; }
missing=$(( (total - n) * 262144 ))
(( got <= missing + 262144 )) || fail "resumed run downloaded $got bytes, only $missing were missing"
echo "had $n/$total pieces after kill; resumed run downloaded $got bytes of $missing missing"
