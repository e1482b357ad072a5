#!/usr/bin/env bash
# Engine interop against real peers, inside a loopback-only network namespace:
#   1. torfs downloads from a python3-libtorrent seeder (TCP only, on 127.0.0.2)
#   2. torfs downloads from an aria2c seeder (127.0.0.3)
# Each compares sha256 of every file with the source. Prints time and peak RSS of torfs.
# usage: native-test/engine-interop.sh [SIZE_MB]   (needs target/torfs.jar)
set -euo pipefail
if [[ -z "${TORFS_NETNS:-}" ]]; then
  exec unshare --net --fork env TORFS_NETNS=1 bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$@"
fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$ROOT/target/torfs.jar"
PY=/usr/bin/python3
SIZE_MB=${1:-200}
WORK="$(mktemp -d /tmp/torfs-engine.XXXXXX)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
sums() { (cd "$1" && find . -type f -not -path './.torfs/*' -print0 | sort -z | xargs -0 -r sha256sum); }
torfs() { /usr/bin/time -f "%e s, %M KiB max RSS" java -Xmx256m -jar "$JAR" "$@"; }

mkdir -p "$WORK/src/payload/sub"
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom > "$WORK/src/payload/big.bin"
head -c 777777 /dev/urandom > "$WORK/src/payload/sub/small.dat"
mktorrent -l 20 -o "$WORK/t.torrent" "$WORK/src/payload" > /dev/null

cat > "$WORK/lt_seed.py" <<'PY'
import signal, sys, time
import libtorrent as lt
torrent, save_path, iface = sys.argv[1:4]
ses = lt.session({
    "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
    "dht_bootstrap_nodes": "", "listen_interfaces": iface,
    "outgoing_interfaces": iface.rsplit(":", 1)[0],
    "enable_outgoing_utp": False, "enable_incoming_utp": False,
    "send_buffer_watermark": 32 * 1024 * 1024, "send_buffer_watermark_factor": 150,
})
p = lt.add_torrent_params()
p.ti = lt.torrent_info(torrent)
p.save_path = save_path
h = ses.add_torrent(p)
stop = False
def on_signal(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_signal)
said = False
while not stop:
    if not said and h.status().is_seeding:
        print("seeding", flush=True)
        said = True
    time.sleep(0.1)
PY

wait_for() { # wait_for FILE PATTERN
  for _ in $(seq 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  cat "$1" >&2; fail "timed out waiting for '$2' in $1"
}

echo "== torfs downloads from python3-libtorrent"
"$PY" "$WORK/lt_seed.py" "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881 > "$WORK/lt.log" 2>&1 &
LT=$!; PIDS+=("$LT")
wait_for "$WORK/lt.log" '^seeding'
timeout 600 bash -c "$(declare -f torfs); JAR=$JAR; torfs download '$WORK/t.torrent' --data '$WORK/dst-lt' --port 6891 --bind 127.0.0.1 --peer 127.0.0.2:16881"
diff <(sums "$WORK/src") <(sums "$WORK/dst-lt") > /dev/null || fail "files from libtorrent differ"
kill "$LT"; echo ok

echo "== torfs downloads from aria2c"
aria2c --enable-dht=false --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false \
  -V --seed-ratio=0 --seed-time=60 --listen-port=16882 --dir="$WORK/src" \
  --console-log-level=warn --summary-interval=0 "$WORK/t.torrent" > "$WORK/aria-seed.log" 2>&1 &
AR=$!; PIDS+=("$AR")
sleep 3
timeout 600 bash -c "$(declare -f torfs); JAR=$JAR; torfs download '$WORK/t.torrent' --data '$WORK/dst-aria' --port 6892 --bind 127.0.0.1 --peer 127.0.0.1:16882"
diff <(sums "$WORK/src") <(sums "$WORK/dst-aria") > /dev/null || fail "files from aria2c differ"
kill "$AR" 2>/dev/null || true; echo ok

echo "all ok"
