#!/usr/bin/env bash
# ut_metadata both ways with python3-libtorrent 2.0.8, inside a network namespace that has only
# loopback: our MetadataFetch gets a libtorrent seeder's metadata from a magnet, and a libtorrent
# session given only a magnet gets the metadata from our seeding client.
# Usage: magnet-interop.sh JAVA CLASSPATH   (needs root for unshare --net)
source "$(dirname "$0")/../interop-lib.sh"

# 24 MiB in 16 KiB pieces: a 30 KB info dictionary, two ut_metadata blocks
mkdir -p "$DIR/seed"
head -c $((24 * 1024 * 1024)) /dev/urandom > "$DIR/seed/movie.bin"
HASH=$("$PY" "$HERE/../lt_make.py" "$DIR/seed/movie.bin" "$DIR/movie.torrent" 16384 v1)
echo "torrent $HASH"
# a netns has no hardware address for Netty's channel ids: give it one, quietly
JAVA_RUN=("$JAVA" -Dio.netty.machineId=02:00:00:00:00:01 -cp "$CLASSPATH_ARG" torfs.session.MagnetInteropMain)

# 1. libtorrent seeds on 127.0.0.2; we fetch the metadata from a magnet that names it
"$PY" "$HERE/../lt_seed.py" "$DIR/movie.torrent" "$DIR/seed" 127.0.0.2:16881 > "$DIR/lt_seed.log" 2>&1 &
PIDS+=($!)
wait_for "$DIR/lt_seed.log" seeding "${PIDS[-1]}"
"${JAVA_RUN[@]}" fetch "magnet:?xt=urn:btih:$HASH&dn=movie.bin&x.pe=127.0.0.2:16881" "$DIR/movie.torrent"

# 1b. the same from a hybrid (v1+v2, libtorrent's default) torrent, by its v1 info-hash
mkdir -p "$DIR/hybrid"
head -c $((3 * 1024 * 1024)) /dev/urandom > "$DIR/hybrid/clip.bin"
HYBRID=$("$PY" "$HERE/../lt_make.py" "$DIR/hybrid/clip.bin" "$DIR/clip.torrent" 16384 hybrid)
"$PY" "$HERE/../lt_seed.py" "$DIR/clip.torrent" "$DIR/hybrid" 127.0.0.4:16884 > "$DIR/lt_seed_hybrid.log" 2>&1 &
PIDS+=($!)
wait_for "$DIR/lt_seed_hybrid.log" seeding "${PIDS[-1]}"
"${JAVA_RUN[@]}" fetch "magnet:?xt=urn:btih:$HYBRID&x.pe=127.0.0.4:16884" "$DIR/clip.torrent"

# 2. we seed on 127.0.0.1; libtorrent on 127.0.0.3 knows only the magnet and our address
"${JAVA_RUN[@]}" seed "$DIR/movie.torrent" "$DIR/seed" 127.0.0.1 16882 > "$DIR/torfs_seed.log" 2>&1 &
PIDS+=($!)
wait_for "$DIR/torfs_seed.log" seeding "${PIDS[-1]}"
mkdir -p "$DIR/leech"
OUT=$("$PY" "$HERE/lt_magnet.py" "magnet:?xt=urn:btih:$HASH" 127.0.0.1:16882 "$DIR/leech" 127.0.0.3:16883 60 \
    | grep -v '^alert:' || true)
echo "$OUT"
if ! grep -q "^ok libtorrent got metadata: movie.bin $HASH\$" <<< "$OUT"; then
    echo "FAIL libtorrent did not get the metadata from us"; cat "$DIR/torfs_seed.log"; exit 1
fi
echo "OK magnet interop"
