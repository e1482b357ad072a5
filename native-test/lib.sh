# Shared helpers for native-test/test-*.sh. Source it first thing in a test.
# Every test runs inside a network namespace that has only loopback: the first
# `in_loopback_netns "$@"` re-executes the script there (the mount namespace is
# shared, so FUSE mounts made inside stay visible outside).
set -euo pipefail
# re-execute inside a loopback-only network namespace before anything else happens
if [[ -z "${TORFS_NETNS:-}" ]]; then
  exec unshare --net --fork env TORFS_NETNS=1 bash -c 'ip link set lo up && exec bash ${TORFS_TRACE:+-x} "$0" "$@"' "$0" "$@"
fi
# our DHT stays off unless given loopback nodes, and torfs refuses any address outside
# 127.0.0.0/8 named on its command line (torfs.app.LoopbackOnly)
export TORFS_LOOPBACK_ONLY=1
NT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TORFS_JAR="$NT_ROOT/target/torfs.jar"
PY=/usr/bin/python3

# Kept for readability in tests: lib.sh already moved us into the namespace.
in_loopback_netns() { :; }


skip() {
  echo "skipped: $*"
  exit 77
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# A temp dir removed at exit, after the registered cleanups ran.
WORK="$(mktemp -d /tmp/torfs-nt.XXXXXX)"
CLEANUPS=()
on_exit() { CLEANUPS+=("$1"); }
run_cleanups() {
  local i
  for ((i=${#CLEANUPS[@]}-1; i>=0; i--)); do eval "${CLEANUPS[$i]}" || true; done
  rm -rf "$WORK"
}
trap run_cleanups EXIT

# `torfs` as a real command (so timeout, time and background jobs can run it): the user's
# launcher, whose JVM flags per command are the ones we ship
mkdir -p "$WORK/bin"
ln -s "$NT_ROOT/scripts/torfs" "$WORK/bin/torfs"
export PATH="$WORK/bin:$PATH"

# kill_pid PID: ends a process we started, waiting briefly, then hard.
kill_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# lt_seed TORRENT DATA_PARENT IP:PORT [utp-only] -> starts a python3-libtorrent seeder; sets LT_PID.
# Waits until it reports it is seeding.
# await_line LOG PATTERN PID SECONDS WHAT: waits until LOG has a line matching PATTERN, failing
# (with the log) when process PID dies first or SECONDS pass
await_line() {
  local log=$1 pattern=$2 pid=$3 secs=$4 what=$5
  for _ in $(seq $((secs * 10))); do
    grep -q "$pattern" "$log" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "$what died"; }
    sleep 0.1
  done
  cat "$log" >&2
  fail "$what did not start in $secs s"
}

lt_seed() {
  local log="$WORK/lt-seed-$RANDOM.log"
  "$PY" "$NT_ROOT/native-test/lt_seed.py" "$1" "$2" "$3" "${@:4}" > "$log" 2>&1 &
  LT_PID=$!
  on_exit "kill_pid $LT_PID"
  # hashing a multi-GiB payload first takes a while on a busy 2-core machine
  await_line "$log" '^seeding' "$LT_PID" 240 "libtorrent seeder"
}

# small_tmpfs DIR SIZE: a tmpfs of SIZE (e.g. 8m) at DIR, unmounted on exit (a disk that fills
# up; grow it with `mount -o remount,size=... DIR`); skips the test where tmpfs cannot be mounted
small_tmpfs() {
  mkdir -p "$1"
  mount -t tmpfs -o size="$2" torfs-nt-full "$1" || skip "cannot mount a tmpfs (needs root)"
  on_exit "umount -l '$1'"
}

# no_java FILE: nothing of Java's own output in FILE (stack traces, java.util.logging records)
no_java() {
  ! grep -E 'Exception|^\s+at |at java\.|^(WARNING|SEVERE|INFO): |^[A-Z][a-z]{2} [0-9]{2}, [0-9]{4} ' "$1" \
    || fail "Java output in $1: $(cat "$1")"
}

# refuses_plaintext TORRENT PEER WHAT: a plaintext-only `torfs download` from PEER (a seeder that
# requires encryption) gets no payload byte within 8 s
refuses_plaintext() {
  timeout 8 torfs download "$1" --data "$WORK/dst-plain" --port 6899 --bind 127.0.0.1 \
    --peer "$2" --no-dht --encryption disable > "$WORK/plain.log" 2>&1 \
    && fail "a plaintext download from $3 finished"
  # the files may exist, sparse: no block of them may hold data
  [[ -z "$(find "$WORK/dst-plain" -type f -not -path '*/.torfs/*' -printf '%b\n' 2>/dev/null | awk '$1 > 0')" ]] \
    || fail "$3 sent data over plaintext"
}

# sha256 of every file under DIR, as "hash  relative/path" lines sorted by path.
tree_sums() {
  (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

# make_payload DIR: a small multi-file tree (nested dirs, unicode names, an empty file).
make_payload() {
  local p=$1
  mkdir -p "$p/sub/déjà vu" "$p/media"
  head -c 5000000 /dev/urandom > "$p/media/big.bin"
  head -c 777777 /dev/urandom > "$p/sub/déjà vu/ünïcode.dat"
  head -c 12345 /dev/urandom > "$p/sub/small.txt"
  : > "$p/sub/empty"
}

# wait_for CMD... : retries CMD for up to 30 s.
wait_for() {
  for _ in $(seq 300); do "$@" && return 0; sleep 0.1; done
  return 1
}

# start_opentracker INFOHASH_HEX...: an HTTP+UDP tracker on 127.0.0.1:6969 (Debian's build
# whitelists info-hashes and chroots into its -d directory).
start_opentracker() {
  command -v opentracker >/dev/null || skip "opentracker not installed"
  mkdir -p "$WORK/ot"
  printf '%s\n' "$@" > "$WORK/ot/whitelist.txt"
  opentracker -i 127.0.0.1 -p 6969 -P 6969 -d "$WORK/ot" -u nobody -w /whitelist.txt > "$WORK/ot.log" 2>&1 &
  OT_PID=$!
  on_exit "kill_pid $OT_PID"
  wait_for bash -c "exec 3<>/dev/tcp/127.0.0.1/6969" 2>/dev/null || { cat "$WORK/ot.log"; fail "opentracker did not start"; }
}

# info_hash TORRENT: the v1 info-hash in hex, as torfs reports it.
info_hash() {
  torfs info --json "$1" | grep -o '"infoHash" *: *"[0-9a-f]*"' | grep -o '[0-9a-f]\{40\}'
}

# mount_torfs TORRENT MNT [options...]: mounts in the background (torfs returns once the tree
# is visible) and registers the unmount.
mount_torfs() {
  local t=$1 m=$2; shift 2
  mkdir -p "$m" 2>/dev/null || true  # a stale mount fails stat; torfs mount clears it
  torfs mount "$t" "$m" "$@" || fail "torfs mount $t $m failed"
  on_exit "torfs unmount '$m' >/dev/null 2>&1 || fusermount -u -z '$m' 2>/dev/null"
}

# progress MNT_PATH: verified bytes / size from the xattr, as a percentage (integer).
progress_pct() {
  local v
  v=$(getfattr --only-values -n user.torfs.progress "$1" 2>/dev/null) || { echo -1; return; }
  local done=${v%/*} size=${v#*/}
  echo $(( size == 0 ? 100 : done * 100 / size ))
}

# big_sparse FILE SIZE: a sparse file with random 1 MiB islands at the start, across
# 2 GiB and 4 GiB, and at the tail, so reads anywhere check real bytes.
big_sparse() {
  local f=$1 size=$2
  truncate -s "$size" "$f"
  local mib=$((1024 * 1024))
  for off in 0 $((2048 * mib - mib / 2)) $((4096 * mib - mib / 2)) $((size - mib)); do
    (( off >= 0 && off + mib <= size )) || continue
    head -c $mib /dev/urandom | dd of="$f" bs=1M seek=$((off)) oflag=seek_bytes conv=notrunc status=none
  done
}
