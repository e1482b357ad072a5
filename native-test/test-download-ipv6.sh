#!/usr/bin/env bash
# torfs download over IPv6: a python3-libtorrent seeder on [::1], torfs bound to ::1 dials it;
# every file's sha256 equals the source.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"
# lo up gives ::1 in a new namespace; add it where a kernel does not
ip -6 addr show dev lo | grep -q '::1/128' || ip addr add ::1/128 dev lo 2>/dev/null \
  || skip "no IPv6 on loopback"

make_payload "$WORK/src/payload"
"$PY" "$NT_ROOT/native-test/lt_make.py" "$WORK/src/payload" "$WORK/t.torrent" 65536 hybrid > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" '[::1]:16881'
timeout 120 torfs download "$WORK/t.torrent" --data "$WORK/dst" --port 6891 --bind ::1 --peer '[::1]:16881'
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$WORK/dst/payload") || fail "downloaded files differ"
echo ok
