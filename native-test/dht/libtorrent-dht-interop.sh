#!/usr/bin/env bash
# Our DHT node against python3-libtorrent DHT nodes, inside a network namespace that has only
# loopback. Usage: libtorrent-dht-interop.sh JAVA CLASSPATH
# Needs root (unshare --net) and python3-libtorrent (/usr/bin/python3).
set -euo pipefail

if [ -z "${TORFS_IN_NETNS:-}" ]; then
    exec unshare --net --fork env TORFS_IN_NETNS=1 bash "$0" "$@"
fi

JAVA=$1
CLASSPATH_ARG=$2
HERE=$(cd "$(dirname "$0")" && pwd)
NODES=6
PORT=6881
LT_HASH=1111111111111111111111111111111111111111   # announced by libtorrent, looked up by us
OUR_HASH=2222222222222222222222222222222222222222  # announced by us, looked up by libtorrent
OUR_PEER_PORT=7002

ip link set lo up

DIR=$(mktemp -d)
LT_PID=
cleanup() {
    if [ -n "$LT_PID" ]; then
        kill "$LT_PID" 2>/dev/null || true
        wait "$LT_PID" 2>/dev/null || true
    fi
    echo "--- libtorrent nodes' output"
    cat "$DIR/lt.log" 2>/dev/null || true
    rm -rf "$DIR"
}
trap cleanup EXIT

/usr/bin/python3 "$HERE/lt_dht_node.py" "$NODES" "$PORT" "$LT_HASH" "$OUR_HASH" "$DIR" > "$DIR/lt.log" 2>&1 &
LT_PID=$!

for _ in $(seq 1 600); do
    if grep -q '^READY' "$DIR/lt.log"; then
        break
    fi
    if ! kill -0 "$LT_PID" 2>/dev/null; then
        echo "libtorrent nodes exited early" >&2
        exit 1
    fi
    sleep 0.1
done
grep '^READY' "$DIR/lt.log"

# a namespace has no hardware address for Netty's channel ids: give it one, quietly
"$JAVA" -Dio.netty.machineId=02:00:00:00:00:01 -cp "$CLASSPATH_ARG" torfs.dht.LibtorrentDhtInteropMain \
    "127.0.1.1:$PORT" "$NODES" "$LT_HASH" "127.0.1.1:$PORT" "$OUR_HASH" "$OUR_PEER_PORT" "$DIR/lt.log"
