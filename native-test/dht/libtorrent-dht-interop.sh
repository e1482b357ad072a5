#!/usr/bin/env bash
# Our DHT node against python3-libtorrent DHT nodes, inside a network namespace that has only
# loopback. Usage: libtorrent-dht-interop.sh JAVA CLASSPATH
# Needs root (unshare --net) and python3-libtorrent (/usr/bin/python3).
source "$(dirname "$0")/../interop-lib.sh"

NODES=6
PORT=6881
LT_HASH=1111111111111111111111111111111111111111   # announced by libtorrent, looked up by us
OUR_HASH=2222222222222222222222222222222222222222  # announced by us, looked up by libtorrent
OUR_PEER_PORT=7002

after_stop() {
    echo "--- libtorrent nodes' output"
    cat "$DIR/lt.log" 2>/dev/null || true
}

"$PY" "$HERE/lt_dht_node.py" "$NODES" "$PORT" "$LT_HASH" "$OUR_HASH" "$DIR" > "$DIR/lt.log" 2>&1 &
PIDS+=($!)
wait_for "$DIR/lt.log" '^READY' "${PIDS[0]}" 60
grep '^READY' "$DIR/lt.log"

# a namespace has no hardware address for Netty's channel ids: give it one, quietly
"$JAVA" -Dio.netty.machineId=02:00:00:00:00:01 -cp "$CLASSPATH_ARG" torfs.dht.LibtorrentDhtInteropMain \
    "127.0.1.1:$PORT" "$NODES" "$LT_HASH" "127.0.1.1:$PORT" "$OUR_HASH" "$OUR_PEER_PORT" "$DIR/lt.log"
