#!/usr/bin/env bash
# A .torrent given by its http URL, served by Debian's nginx, with a python3-libtorrent seeder:
# `torfs mount URL MNT` serves right bytes (the .torrent kept in the data directory, so the
# mount's process reads it from there); `torfs info URL --save` writes the file as served;
# `torfs add URL` adds one to a mount of many, and a mount of many takes a URL among its
# SOURCEs; a URL that answers 404, one that serves a web page and a port nobody listens on are
# each one line and exit 2, nothing of Java's.
source "$(dirname "$0")/lib.sh"
source "$NT_ROOT/native-test/webseed-nginx.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"

WWW="$WORK/www"; mkdir -p "$WWW/torrents" "$WORK/src"
make_payload "$WORK/src/payload"
torfs create "$WORK/src/payload" -o "$WWW/torrents/tree.torrent" > /dev/null
head -c 2000000 /dev/urandom > "$WORK/src/single.bin"
torfs create "$WORK/src/single.bin" -o "$WWW/torrents/single.torrent" > /dev/null
echo "<html><body>Not the torrent you are looking for</body></html>" > "$WWW/page.torrent"
lt_seed "$WWW/torrents/tree.torrent" "$WORK/src" 127.0.0.2:16881
lt_seed "$WWW/torrents/single.torrent" "$WORK/src" 127.0.0.3:16881
start_webseed_nginx "$WWW" 18097
U=http://127.0.0.1:18097
H=$(info_hash "$WWW/torrents/tree.torrent")

# failures: one line each, exit 2
M="$WORK/mnt"; mkdir -p "$M"
bad() { # bad URL EXPECTED: `torfs mount URL` fails with one line holding EXPECTED
  set +e; torfs mount "$1" "$M" --no-dht > "$WORK/bad.out" 2>&1; local rc=$?; set -e
  [[ $rc -eq 2 && $(wc -l < "$WORK/bad.out") -eq 1 ]] || fail "mount $1: exit $rc: $(cat "$WORK/bad.out")"
  grep -qF "torfs: $1: $2" "$WORK/bad.out" || fail "mount $1 said: $(cat "$WORK/bad.out")"
  no_java "$WORK/bad.out"
}
bad "$U/torrents/none.torrent" "HTTP 404"
bad "$U/page.torrent" "not a valid torrent file"
bad "http://127.0.0.1:1/x.torrent" "cannot connect to 127.0.0.1:1"
[[ -z $(ls -A "$M") ]] || fail "a failed mount left something at the mount point"

torfs info "$U/torrents/tree.torrent" --save "$WORK/saved.torrent" > "$WORK/info.out" || fail "torfs info URL failed"
grep -q "^info-hash: *$H" "$WORK/info.out" || fail "info said: $(cat "$WORK/info.out")"
cmp "$WORK/saved.torrent" "$WWW/torrents/tree.torrent" || fail "info --save wrote other bytes than served"

# one torrent by URL
mount_torfs "$U/torrents/tree.torrent" "$M" --data "$WORK/d1" --peer 127.0.0.2:16881 --no-dht
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$M/payload") || fail "bytes through a URL's mount differ"
cmp "$WORK/d1/.torfs/$H.torrent" "$WWW/torrents/tree.torrent" || fail "the fetched .torrent was not kept"
torfs unmount "$M" || fail "unmount failed"

# a mount of many: a URL among its sources, another added by URL
mkdir -p "$WORK/watch"
torfs mount "$U/torrents/tree.torrent" "$M" --watch "$WORK/watch" --data "$WORK/d2" \
  --peer 127.0.0.2:16881 --peer 127.0.0.3:16881 --no-dht || fail "mount of many with a URL failed"
on_exit "torfs unmount '$M' >/dev/null 2>&1 || fusermount -u -z '$M' 2>/dev/null"
[[ -d "$M/payload" ]] || fail "the URL's torrent did not show: $(ls "$M")"
torfs add --mount "$M" "$U/torrents/single.torrent" > "$WORK/add.out" || fail "torfs add URL failed: $(cat "$WORK/add.out")"
grep -q "^added single.bin" "$WORK/add.out" || fail "add said: $(cat "$WORK/add.out")"
cmp "$WORK/src/single.bin" "$M/single.bin" || fail "the added URL's file differs"
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$M/payload") || fail "the URL source's files differ"
set +e; torfs add --mount "$M" "$U/page.torrent" > "$WORK/addbad.out" 2>&1; rc=$?; set -e
[[ $rc -eq 2 && $(wc -l < "$WORK/addbad.out") -eq 1 ]] || fail "add of a web page: exit $rc: $(cat "$WORK/addbad.out")"
no_java "$WORK/addbad.out"
torfs unmount "$M" || fail "unmount of the mount of many failed"
echo "ok: mounts, info and add by URL"
