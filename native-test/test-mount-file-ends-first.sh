#!/usr/bin/env bash
# A full (non-lazy) mount fetches its files' ends first: before any read, with its download
# capped so that the whole takes ~18 s, once about a fifth of the 74 pieces are verified, each
# file's first 4 MiB and its last piece (15 pieces) are among those on disk (rarest-first
# alone would have taken a random fifth to half). A --lazy mount fetches nothing unread.
# Real python3-libtorrent seeder, real mount; no timing asserted.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

S="$WORK/src/payload"
mkdir -p "$S"
# not multiples of the piece: a file's last piece is the next one's first
head -c $(((16 << 20) + 12345)) /dev/urandom > "$S/a.bin"
head -c $(((24 << 20) + 777)) /dev/urandom > "$S/b.bin"
head -c $(((32 << 20) + 4321)) /dev/urandom > "$S/c.bin"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$S" "$WORK/t.torrent" 1048576 v1 > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881

M="$WORK/mnt"
mount_torfs "$WORK/t.torrent" "$M" --data "$WORK/data" --port 6898 --peer 127.0.0.2:16881 --max-down 4M
# pieces whose bytes are all on disk in the data dir (landed: verified, or about to be), one a
# line; the files are a, b, c in that order (lt_make sorts them)
landed() {
  "$PY" - "$S" "$WORK/data/payload" <<'PY'
import os, sys
src, data = sys.argv[1:3]
piece = 1 << 20
def joined(root):
    out = bytearray()
    for f in ("a.bin", "b.bin", "c.bin"):
        want = os.path.getsize(os.path.join(src, f))
        p = os.path.join(root, f)
        b = open(p, "rb").read() if os.path.exists(p) else b""
        out += b[:want] + bytes(max(0, want - len(b)))
    return out
a, b = joined(src), joined(data)
for i in range((len(a) + piece - 1) // piece):
    if a[i * piece:(i + 1) * piece] == b[i * piece:(i + 1) * piece]:
        print(i)
PY
}
total=74
verified_mb() { echo $(( $(getfattr --absolute-names --only-values -n user.torfs.progress "$M/payload" | cut -d/ -f1) >> 20 )); }
n=0
for _ in $(seq 300); do
  n=$(verified_mb)
  (( n >= 15 )) && break
  sleep 0.1
done
(( n >= 15 && n < 70 )) || fail "$n MiB verified: the download neither went on nor was capped"
landed > "$WORK/verified"
n=$(wc -l < "$WORK/verified")

for f in a b c; do
  range=$(getfattr --absolute-names --only-values -n user.torfs.pieces "$M/payload/$f.bin") || fail "no pieces xattr on $f.bin"
  first=${range%-*} last=${range#*-}
  for p in $first $((first + 1)) $((first + 2)) $((first + 3)) $last; do
    grep -qx "$p" "$WORK/verified" \
      || fail "$f.bin (pieces $range): piece $p not on disk among the first $n: $(tr '\n' ' ' < "$WORK/verified")"
  done
done
echo "full mount: $n of $total pieces on disk before any read, each file's head and last piece among them"
torfs unmount "$M" > /dev/null

# --lazy: nothing read, nothing fetched (the seeder is there and unchokes)
mount_torfs "$WORK/t.torrent" "$WORK/lazy" --data "$WORK/data-lazy" --port 6899 --peer 127.0.0.2:16881 --lazy
sleep 3
pct=$(progress_pct "$WORK/lazy/payload")
(( pct == 0 )) || fail "a lazy mount fetched $pct % with no read"
cmp <(head -c 1000000 "$WORK/lazy/payload/b.bin") <(head -c 1000000 "$S/b.bin") || fail "lazy read differs"
echo ok
