#!/usr/bin/env bash
# create -> info -> verify on a multi-file payload with a nested unicode name; the
# info-hash equals mktorrent's; one flipped byte makes verify fail and name the file; a
# symlink to nothing stops create, as it stops mktorrent, in one line.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
command -v mktorrent >/dev/null || skip "mktorrent not installed"

P="$WORK/payload"
mkdir -p "$P/docs/ünïcødé dir" "$P/media"
head -c 3000000 /dev/urandom > "$P/media/clip.bin"
head -c 70000 /dev/urandom > "$P/docs/ünïcødé dir/naïve файл.txt"
: > "$P/docs/empty.txt"
echo hello > "$P/readme.txt"

torfs create "$P" -o "$WORK/t.torrent" --piece-size 65536 --tracker http://127.0.0.1:6969/announce
mktorrent -l 16 -a http://127.0.0.1:6969/announce -o "$WORK/m.torrent" "$P" > /dev/null
ours=$(torfs info --json "$WORK/t.torrent" | grep -o '"infoHash" *: *"[0-9a-f]*"' | grep -o '[0-9a-f]\{40\}')
theirs=$(torfs info --json "$WORK/m.torrent" | grep -o '"infoHash" *: *"[0-9a-f]*"' | grep -o '[0-9a-f]\{40\}')
[[ -n "$ours" && "$ours" == "$theirs" ]] || fail "info-hash $ours differs from mktorrent's $theirs"

torfs info "$WORK/t.torrent" > "$WORK/info.txt"
grep -q "naïve файл.txt" "$WORK/info.txt" || fail "info does not list the unicode file"
grep -q "$ours" "$WORK/info.txt" || fail "info does not print the info-hash"

torfs verify "$WORK/t.torrent" --data "$WORK" > "$WORK/verify.txt" || { cat "$WORK/verify.txt"; fail "verify of intact data failed"; }
grep -q "verified \([0-9]*\)/\1 pieces" "$WORK/verify.txt" || fail "verify did not report all pieces: $(cat "$WORK/verify.txt")"

# flip every bit of one byte in the middle of the clip (writing a fixed value would be a
# no-op when the random byte already has it)
b=$(dd if="$P/media/clip.bin" bs=1 skip=1500000 count=1 status=none | od -An -tu1 | tr -d ' ')
printf "\\$(printf '%03o' $((255 - b)))" | dd of="$P/media/clip.bin" bs=1 seek=1500000 conv=notrunc status=none
set +e
torfs verify "$WORK/t.torrent" --data "$WORK" > "$WORK/verify2.txt" 2>&1
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "verify of damaged data exited $rc, expected 1"
grep -q "clip.bin" "$WORK/verify2.txt" || fail "verify did not name the damaged file"

# bad input: one line, exit 2
head -c 100 /dev/urandom > "$WORK/garbage.torrent"
set +e
torfs info "$WORK/garbage.torrent" > "$WORK/out.txt" 2> "$WORK/err.txt"
rc=$?
set -e
[[ $rc -eq 2 ]] || fail "info on garbage exited $rc, expected 2"
[[ $(wc -l < "$WORK/err.txt") -eq 1 ]] || fail "expected one error line, got: $(cat "$WORK/err.txt")"
grep -q '^torfs: ' "$WORK/err.txt" || fail "error line lacks the torfs: prefix"

# a symlink to nothing: one line, exit 2, no torrent written (mktorrent fails too)
ln -s "$WORK/nothing-here" "$P/docs/gone.txt"
set +e
torfs create "$P" -o "$WORK/broken.torrent" > "$WORK/out.txt" 2> "$WORK/err.txt"
rc=$?
mktorrent -l 16 -o "$WORK/mbroken.torrent" "$P" > /dev/null 2>&1
mrc=$?
set -e
[[ $rc -eq 2 ]] || fail "create with a broken symlink exited $rc, expected 2"
[[ $(wc -l < "$WORK/err.txt") -eq 1 ]] || fail "expected one error line, got: $(cat "$WORK/err.txt")"
grep -q "^torfs: .*docs/gone.txt: broken symlink" "$WORK/err.txt" || fail "unexpected error: $(cat "$WORK/err.txt")"
[[ ! -e $WORK/broken.torrent ]] || fail "create wrote a torrent without the broken link's file"
[[ $mrc -ne 0 ]] || fail "mktorrent accepted the broken symlink (the comparison above assumes it stops)"
echo ok
