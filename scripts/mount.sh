#!/usr/bin/env bash
# Mounts a torrent: builds TorFS if needed, checks the system packages, then runs
# `torfs mount SOURCE MNT [options]`.
# With no arguments: a self-contained demo swarm on 127.0.0.1. It generates a payload (a few
# files, one over 2 GiB as sparse data, a short video when ffmpeg is present), creates its
# torrent, seeds it with `torfs seed` in the background and mounts it at ./mnt/demo.
# `scripts/mount.sh stop-demo` unmounts the demo and stops its seeder.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
TORFS="$ROOT/scripts/torfs"

ensure_packages() {
  local missing=()
  for p in fuse3 libfuse2; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "torfs: FUSE packages missing; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "installing ${missing[*]}..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

DEMO_HOME="${XDG_CACHE_HOME:-$HOME/.cache}/torfs/demo"
DEMO_MNT="$PWD/mnt/demo"
DEMO_PORT=6990

stop_demo() {
  # the demo swarm lives on loopback: no DHT, and nothing outside 127.0.0.0/8 (torfs.app.LoopbackOnly)
  export TORFS_LOOPBACK_ONLY=1
  "$TORFS" unmount "$DEMO_MNT" 2>/dev/null || true
  if [[ -f "$DEMO_HOME/seed.pid" ]]; then
    kill "$(cat "$DEMO_HOME/seed.pid")" 2>/dev/null || true
    rm -f "$DEMO_HOME/seed.pid"
  fi
  echo "demo stopped"
}

demo() {
  # the demo swarm lives on loopback: no DHT, and nothing outside 127.0.0.0/8 (torfs.app.LoopbackOnly)
  export TORFS_LOOPBACK_ONLY=1
  local src="$DEMO_HOME/src/torfs-demo"
  if [[ ! -f "$DEMO_HOME/demo.torrent" ]]; then
    echo "generating the demo payload in $DEMO_HOME ..."
    rm -rf "$DEMO_HOME/src"; mkdir -p "$src/docs" "$src/media"
    head -c 20000000 /dev/urandom > "$src/media/random-20MB.bin"
    # over 2 GiB, sparse: only the islands hold data, the rest reads as zeros
    truncate -s 2500000000 "$src/media/sparse-2.5GB.img"
    head -c 1048576 /dev/urandom | dd of="$src/media/sparse-2.5GB.img" bs=1M seek=2200 conv=notrunc status=none
    printf 'TorFS demo: these files are served from a torrent while they download.\n' > "$src/docs/README.txt"
    printf 'ünïcødé names work too\n' > "$src/docs/ünïcødé.txt"
    if command -v ffmpeg >/dev/null; then
      ffmpeg -loglevel error -f lavfi -i testsrc=duration=10:size=640x360:rate=25 \
        -c:v mpeg4 -b:v 4M "$src/media/clip.mp4" || true
    fi
    "$TORFS" create "$src" -o "$DEMO_HOME/demo.torrent" --piece-size 1048576
  fi
  if [[ -f "$DEMO_HOME/seed.pid" ]] && kill -0 "$(cat "$DEMO_HOME/seed.pid")" 2>/dev/null; then
    echo "demo seeder already running (pid $(cat "$DEMO_HOME/seed.pid"))"
  else
    "$TORFS" seed "$DEMO_HOME/demo.torrent" --data "$DEMO_HOME/src" --bind 127.0.0.1 \
      --port "$DEMO_PORT" --no-dht > "$DEMO_HOME/seed.log" 2>&1 &
    echo $! > "$DEMO_HOME/seed.pid"
    for _ in $(seq 300); do
      (exec 3<>"/dev/tcp/127.0.0.1/$DEMO_PORT") 2>/dev/null && break
      kill -0 "$(cat "$DEMO_HOME/seed.pid")" 2>/dev/null || { cat "$DEMO_HOME/seed.log" >&2; exit 1; }
      sleep 0.2
    done
    echo "seeding on 127.0.0.1:$DEMO_PORT (pid $(cat "$DEMO_HOME/seed.pid"), log $DEMO_HOME/seed.log)"
  fi
  mkdir -p "$DEMO_MNT"
  if mountpoint -q "$DEMO_MNT"; then "$TORFS" unmount "$DEMO_MNT"; fi
  rm -rf "$DEMO_HOME/data"
  "$TORFS" mount "$DEMO_HOME/demo.torrent" "$DEMO_MNT" --data "$DEMO_HOME/data" \
    --bind 127.0.0.1 --port $((DEMO_PORT + 1)) --peer "127.0.0.1:$DEMO_PORT" --no-dht
  cat <<MSG

mounted at $DEMO_MNT. Try:
  ls -lR $DEMO_MNT
  sha256sum $DEMO_MNT/torfs-demo/media/random-20MB.bin $src/media/random-20MB.bin
  dd if=$DEMO_MNT/torfs-demo/media/sparse-2.5GB.img bs=1M skip=2200 count=1 | sha256sum
  getfattr -d $DEMO_MNT/torfs-demo            # progress, pieces, info-hash
  $TORFS status                        # the same, with rates and peers (--watch: live)
  du -sh --apparent-size $DEMO_MNT; du -sh $DEMO_MNT   # size vs downloaded
MSG
  command -v ffprobe >/dev/null && echo "  ffprobe $DEMO_MNT/torfs-demo/media/clip.mp4"
  echo "  $ROOT/scripts/torfs unmount $DEMO_MNT   # or: scripts/mount.sh stop-demo"
}

ensure_packages
if [[ $# -eq 0 ]]; then
  demo
elif [[ $1 == stop-demo ]]; then
  stop_demo
else
  exec "$TORFS" mount "$@"
fi
