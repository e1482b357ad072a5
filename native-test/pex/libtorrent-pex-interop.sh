#!/usr/bin/env bash
# Our client learns a second libtorrent seeder through the first one's ut_pex (BEP 11), inside
# a network namespace that has only loopback. Usage: libtorrent-pex-interop.sh JAVA CLASSPATH
# Needs root (unshare --net) and Debian's python3-libtorrent. libtorrent sends its first ut_pex
# message within seconds of the connection here; the third seeder runs without PEX, so the
# only way we reach it is the address the second one names.
source "$(dirname "$0")/../interop-lib.sh"

mkdir -p "$DIR/data/pex"
head -c 3000000 /dev/urandom > "$DIR/data/pex/payload.bin"
"$PY" "$HERE/../lt_make.py" "$DIR/data/pex" "$DIR/pex.torrent" 65536 v1 > /dev/null

"$PY" "$HERE/lt_pex_seed.py" --no-pex "$DIR/pex.torrent" "$DIR/data" 127.0.0.3:16883 > "$DIR/seed3.log" 2>&1 &
PIDS+=($!)
wait_for "$DIR/seed3.log" seeding "${PIDS[0]}"
"$PY" "$HERE/lt_pex_seed.py" "$DIR/pex.torrent" "$DIR/data" 127.0.0.2:16882 127.0.0.3:16883 > "$DIR/seed2.log" 2>&1 &
PIDS+=($!)
wait_for "$DIR/seed2.log" "connected 127.0.0.3" "${PIDS[1]}"
echo "libtorrent seeders 127.0.0.2 and 127.0.0.3 are connected to each other"

# a namespace has no hardware address for Netty's channel ids: give it one, quietly
"$JAVA" -Dio.netty.machineId=02:00:00:00:00:01 -cp "$CLASSPATH_ARG" torfs.session.LibtorrentPexInteropMain \
    "$DIR/pex.torrent" "$DIR/leech" 127.0.0.2:16882 127.0.0.3 150
