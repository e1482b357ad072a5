#!/usr/bin/env bash
# A magnet whose only peer source is its tracker (tr=, percent-encoded): `torfs download`
# announces for the bare info-hash to opentracker during the metadata phase, finds the torfs
# seeder there, fetches the metadata and the data. The private twin of the same files is
# seeded too, and its metadata is never served (BEP 27): `torfs info` of its magnet fails in
# one line after the timeout, although the seeder is reachable through the same tracker.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
command -v opentracker > /dev/null || skip "opentracker not installed"
ANNOUNCE=http://127.0.0.1:6969/announce

make_payload "$WORK/src/payload"
torfs create "$WORK/src/payload" -o "$WORK/t.torrent" --piece-size 65536 --tracker "$ANNOUNCE" > /dev/null
torfs create "$WORK/src/payload" -o "$WORK/p.torrent" --piece-size 65536 --tracker "$ANNOUNCE" --private > /dev/null
H=$(info_hash "$WORK/t.torrent"); P=$(info_hash "$WORK/p.torrent")
start_opentracker "$H" "$P"
for t in t p; do
  torfs seed "$WORK/$t.torrent" --data "$WORK/src" --port $([[ $t == t ]] && echo 6941 || echo 6943) \
    --bind 127.0.0.1 > "$WORK/seed-$t.log" 2>&1 &
  pid=$!
  on_exit "kill_pid $pid"
  await_line "$WORK/seed-$t.log" '^torfs: seeding' "$pid" 60 "torfs seed $t"
done

TR=$(printf '%s' "$ANNOUNCE" | sed 's/:/%3A/g; s|/|%2F|g')
timeout 120 torfs download "magnet:?xt=urn:btih:$H&tr=$TR" --data "$WORK/dst" --port 6942 --bind 127.0.0.1 \
  || fail "download of a tracker-only magnet failed"
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$WORK/dst/payload") || fail "downloaded files differ"
[[ -f "$WORK/dst/.torfs/$H.torrent" ]] || fail "metadata not kept"

set +e
torfs info "magnet:?xt=urn:btih:$P&tr=$TR" --metadata-timeout 5 --bind 127.0.0.1 > "$WORK/private.out" 2>&1
rc=$?
set -e
[[ $rc -eq 1 ]] || fail "private magnet: exit $rc: $(cat "$WORK/private.out")"
grep -qE "^torfs: no metadata for $P after 5 s \([0-9]+ peers? found, none served it\)$" "$WORK/private.out" \
  || fail "private magnet said: $(cat "$WORK/private.out")"
echo ok
