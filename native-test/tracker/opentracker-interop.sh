#!/usr/bin/env bash
# Announces to a real opentracker over HTTP and UDP, inside a network namespace that has only
# loopback. Usage: opentracker-interop.sh JAVA CLASSPATH
# Needs root (unshare --net) and /usr/bin/opentracker (Debian's: info-hash whitelist, chroot).
source "$(dirname "$0")/../interop-lib.sh"

HTTP_HASH=1111111111111111111111111111111111111111
UDP_HASH=2222222222222222222222222222222222222222
PORT=6969

# opentracker chroots into DIR, so the whitelist path is relative to it
printf '%s\n%s\n' "$HTTP_HASH" "$UDP_HASH" > "$DIR/whitelist.txt"
chmod 755 "$DIR"
chmod 644 "$DIR/whitelist.txt"

opentracker -i 127.0.0.1 -p "$PORT" -P "$PORT" -d "$DIR" -u nobody -w /whitelist.txt &
OT_PID=$!
PIDS+=("$OT_PID")

for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        break
    fi
    if ! kill -0 "$OT_PID" 2>/dev/null; then
        echo "opentracker exited early" >&2
        exit 1
    fi
    sleep 0.1
done

# a namespace has no hardware address for Netty's channel ids: give it one, quietly
"$JAVA" -Dio.netty.machineId=02:00:00:00:00:01 -cp "$CLASSPATH_ARG" torfs.tracker.OpentrackerInteropMain \
    "http://127.0.0.1:$PORT/announce" "udp://127.0.0.1:$PORT/announce" "$HTTP_HASH" "$UDP_HASH"
