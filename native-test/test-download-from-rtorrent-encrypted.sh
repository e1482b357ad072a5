#!/usr/bin/env bash
# torfs download from rtorrent with encryption required and RC4 only
# (`protocol.encryption.set = allow_incoming,try_outgoing,require,require_RC4`), with our
# default --encryption prefer: every file's sha256 equals the source. rtorrent loads no torrent
# without a tracker, so opentracker is there too.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
command -v rtorrent >/dev/null || skip "rtorrent not installed"

make_payload "$WORK/src/payload"
torfs create "$WORK/src/payload" -o "$WORK/t.torrent" --piece-size 65536 \
  --tracker http://127.0.0.1:6969/announce > /dev/null
start_opentracker "$(info_hash "$WORK/t.torrent")"
mkdir -p "$WORK/rt-session"
cat > "$WORK/rtorrent.rc" <<RC
directory.default.set = $WORK/src
session.path.set = $WORK/rt-session
network.bind_address.set = 127.0.0.2
network.local_address.set = 127.0.0.2
network.port_range.set = 16881-16881
network.port_random.set = no
dht.mode.set = disable
protocol.pex.set = no
trackers.use_udp.set = no
protocol.encryption.set = allow_incoming,try_outgoing,require,require_RC4
system.daemon.set = true
load.start = $WORK/t.torrent
RC
rtorrent -n -o "import=$WORK/rtorrent.rc" > "$WORK/rtorrent.log" 2>&1 &
RT_PID=$!
on_exit "kill_pid $RT_PID"
wait_for bash -c "ss -ltn 'sport = :16881' | grep -q LISTEN" || { cat "$WORK/rtorrent.log"; fail "rtorrent did not listen"; }

timeout 120 torfs download "$WORK/t.torrent" --data "$WORK/dst" --port 6891 --bind 127.0.0.1 \
  --peer 127.0.0.2:16881 --no-dht > "$WORK/torfs.log" 2>&1 \
  || { cat "$WORK/torfs.log" "$WORK/rtorrent.log"; fail "download from rtorrent failed"; }
diff <(tree_sums "$WORK/src/payload") <(tree_sums "$WORK/dst/payload") || fail "copy differs"
no_java "$WORK/torfs.log"
# and rtorrent really refuses plaintext
refuses_plaintext "$WORK/t.torrent" 127.0.0.2:16881 "a require-RC4 rtorrent"
echo ok
