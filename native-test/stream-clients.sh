# Three streaming clients behind one contract, for benchmarks that stream one file of a torrent
# from a loopback swarm: torfs (our mount), btfs (Debian; a libtorrent FUSE mount) and peerflix
# (npm; an HTTP server over torrent-stream). Source it with lib.sh: it only defines functions,
# which use lib.sh's WORK, NT_ROOT, PY, fail, on_exit and wait_for (bench-lib.sh is sourced here
# when missing). A benchmark that streams with peerflix sources it first and calls
# peerflix_install before lib.sh moves the script into the loopback namespace (see below).
#
#   client_start NAME TORRENT DATA_DIR   NAME = torfs | btfs | peerflix. DATA_DIR must be missing
#       or empty. Starts the client on TORRENT (whose http tracker on 127.0.0.1:6969 is its only
#       way to find peers), waits until it is ready and sets
#         CLIENT_NAME        NAME
#         CLIENT_PID         the process that does the work (torfs: the mount JVM from
#                            DATA/torfs.pid; btfs: the daemonised btfs; peerflix: node)
#         CLIENT_SOURCE      what to read: the torrent's largest file (for a single-file torrent
#                            the file) as a path in the mount, or http://127.0.0.1:PORT/INDEX
#         CLIENT_SIZE        that file's length in bytes
#         CLIENT_READY_SECS  wall seconds from launch to ready
#         CLIENT_MNT         the mount point (torfs, btfs: DATA_DIR.mnt), empty for peerflix
#         CLIENT_LOG         the client's stdout/stderr (DATA_DIR.log)
#         CLIENT_DATA        DATA_DIR as an absolute path
#       Ready means: torfs and btfs, the mount command returned and CLIENT_SOURCE exists in the
#       mount; peerflix, its HTTP server answered a HEAD request for CLIENT_SOURCE. Registers
#       the same stop with on_exit. One client at a time (the CLIENT_* variables are global).
#   client_stop NAME       torfs: `torfs unmount`; btfs: `fusermount -u`; a mount that will not
#       go (busy: a read nobody serves hangs in btfs) has its FUSE connection aborted through
#       fusectl (blocked readers get ENOTCONN at once), then a lazy unmount; peerflix: SIGTERM
#       to its PID. Waits until the process is gone (SIGKILL after 30 s; after an abort btfs
#       never exits by itself, so 5 s) and fails if a mount or the process is left. The data
#       dir stays for the caller to remove. Idempotent.
#   client_wait_peer ADDR [SECS]   waits (default 30 s) until CLIENT_PID has an established TCP
#       connection with ADDR (an IP or IP:PORT, e.g. the seeder's 127.0.0.2); sets
#       CLIENT_PEER_SECS (launch -> connected). Returns 1 on time-out. Call it right after
#       client_start: torfs and btfs drop a seeder once they have everything.
#   client_rss_kb          peak RSS (VmHWM) of CLIENT_PID in KiB (0 once it exited)
#   client_cpu_s           user+system CPU seconds CLIENT_PID used so far (read before stop)
#   peerflix_install       npm-installs the pinned peerflix into PEERFLIX_HOME when missing.
#       The loopback namespace has no registry, so call it before lib.sh re-executes the script
#       there (the second pass is then a no-op), or run `bash native-test/stream-clients.sh`.
#
# Ports (override in the environment): torfs STREAM_TORFS_PORT=6883; btfs
# STREAM_BTFS_PORTS=6884-6889 (it listens on up to 5 of them); peerflix peer port
# STREAM_PEERFLIX_PEER_PORT=6890, HTTP STREAM_PEERFLIX_HTTP_PORT=8888 (peerflix falls back to a
# random port when it is taken; the port it prints is the one used).
#
# Discovery and quirks of each client:
# - torfs starts no DHT, LSD, UPnP or NAT-PMP at all.
# - btfs 2.24 has no option for DHT, LSD, UPnP or NAT-PMP: its libtorrent session keeps
#   libtorrent's defaults (all on) and bootstraps DHT from router.bittorrent.com & co, listening
#   on 0.0.0.0. Only the loopback-only network namespace contains it (no DNS, no route: those
#   lookups fail; LSD multicast stays on lo). It downloads the whole torrent in the background
#   from the moment it is mounted (priority 7 for the 16 pieces from a read on), deletes its data
#   at unmount (no --keep), keeps it in DATA/btfs-XXXXXX/files with a log.txt beside, and a read
#   nobody can serve hangs uninterruptibly (hence the abort in client_stop). Its libtorrent
#   tries uTP first: against a TCP-only peer (lt_seed.py) the TCP connection comes ~4.3 s
#   after launch (client_wait_peer shows it; a libtorrent 2.0.8 leecher with uTP off connects
#   in 0.5 s). With 5 listen ports it announces 5 times and LSD finds its own ports.
# - peerflix: the real CLI (node_modules/peerflix/app.js), which hands all of its argv to
#   torrent-stream as options:
#     node app.js TORRENT --quiet --no-dht --hostname 127.0.0.1 --port HTTP --peer-port PEER
#         --path DATA --tmp DATA
#   --quiet: no terminal UI, just "server is listening on URL" (no --vlc/--mpv/...: no player,
#   and the keypress UI is off); --no-dht: optimist turns it into dht:false, which
#   torrent-discovery honours (its tracker stays on: the .torrent's announce URL); --hostname:
#   the HTTP server binds 127.0.0.1 and prints that address; --port: the HTTP port; --peer-port:
#   torrent-stream's listen port (announced to the tracker); --path: where pieces are written
#   (DATA/<torrent name>/...); --tmp: anything torrent-stream caches (a magnet's .torrent) goes
#   into DATA, not /tmp/torrent-stream. No --index: peerflix serves the largest file, the one
#   the mounts are read from too; connections (-c) stay at the default, 100 peers on 2+ cores.
#   torrent-stream has no LSD, PEX, UPnP or NAT-PMP, and uTP is off (peer-wire-swarm only uses
#   it when asked). peerflix selects the whole served file at priority 0 from the start, so it
#   too downloads that file in the background (only that file), and pauses the swarm once done.
#   It reads optional config from ~/.peerflixrc, /etc/peerflixrc and peerflix_* variables (rc).
#   It sets process.title, which overwrites its /proc/PID/cmdline with "peerflix": it is found
#   by its working directory (DATA). The tracker hands it its own address and it connects to
#   itself (harmless: it never requests from that wire a piece it lacks).
#
# How torrent-stream 1.2.1 streams (read in the installed node_modules; line numbers are of
# torrent-stream/index.js unless named otherwise):
# - A read is a selection. createReadStream selects [startPiece, endPiece] with priority 1 (l.176);
#   peerflix also selects the whole file at priority 0 (peerflix/index.js l.44). Selections are
#   sorted by priority, highest first (l.648-650); gc() moves each selection's offset past
#   finished pieces and drops finished selections (l.201-219). The stream's selection covers the
#   whole requested range (a plain GET: the rest of the file): there is no readahead window and
#   no pacing by consumption, everything after the read point is wanted, in order.
# - The stream asks for one piece at a time: if the next piece is missing it marks it (and, for
#   pieces under 1 MiB, the next) critical (file-stream.js l.24, l.38; index.js l.635-637),
#   and reads whole pieces from the store when they are verified (file-stream.js l.44).
# - Per peer at most MAX_REQUESTS = 5 blocks of 16 KiB are outstanding (l.24, l.391, l.404):
#   a fixed pipeline of 80 KiB, whatever the peer's speed or latency.
# - Picking for a peer (select, l.390-412, run on every unchoke/bitfield/have and after every
#   block, l.274-276, l.462-464): walk the selections in priority order and, in each, pieces
#   in ascending order from the read point; take any the peer has, filling its 5 slots with
#   free blocks of one piece before going to the next (several peers thus share a piece,
#   block by block, l.278-293). When a priority selection filled a peer, it is swapped with the
#   last of the priority selections (shufflePriority, l.380-388): concurrent streams take
#   turns.
# - Slow peers: speedRanker (l.352-378): a peer slower than 3 blocks/s (SPEED_THRESHOLD, l.27;
#   speeds are 10-s moving averages, l.79) skips a piece when faster peers that have it could
#   fetch what is missing of it in the time the slow one needs for its 5 blocks (at most 10
#   skips per pass). A peer that has not delivered a byte yet gets one block at a time, taken
#   from the END of the lowest-priority selection (onvalidatewire, l.340-350, l.416): new peers
#   are tried where it does not matter.
# - Hotswap (l.237-272): when a piece has no free block, a critical piece (always) or any piece
#   on the second pass (select(wire,false) || select(wire,true), l.417) may take blocks from
#   the slowest other peer reserved on it, if that peer is under 3 blocks/s and at most half
#   the speed of this one. No CANCEL is sent: the slow peer's block may still arrive and is
#   ignored if it is already there. (Bug: l.267 divides by piece.BLOCK_SIZE, which torrent-piece
#   does not define, so every swapped request returns block 0, not the slow peer's block, to
#   the pool.)
# - Timeouts: only the oldest outstanding request of a peer has a timer (peer-wire-protocol
#   l.320-323), 30 s by default (REQUEST_TIMEOUT l.26, opts.timeout); when it fires the whole
#   connection is destroyed (l.425-428) and its blocks go back to their pieces (l.300-303). A
#   peer that choked us for 5 s is dropped only when many more peers are queued than free
#   slots (l.432-437). There are no per-block deadlines and no end-game mode besides hotswap.
# - A bad hash resets the piece and strikes every peer that sent part of it; 4 strikes in
#   2 minutes block the peer's IP (l.311-330). Uploads: a rechoke every 10 s unchokes the 10
#   fastest downloaders-to-us, one optimistic slot, seeders stay choked (l.486-545).

[[ $(type -t peak_rss_kb) == function ]] || source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

PEERFLIX_VERSION=0.39.0
PEERFLIX_HOME=${PEERFLIX_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/torfs-bench/peerflix-$PEERFLIX_VERSION}
PEERFLIX_APP="$PEERFLIX_HOME/node_modules/peerflix/app.js"

peerflix_install() {
  [[ -f $PEERFLIX_APP ]] && return 0
  command -v node > /dev/null && command -v npm > /dev/null || { echo "peerflix needs node and npm" >&2; return 1; }
  if [[ -n ${TORFS_NETNS:-} ]]; then
    echo "peerflix is not installed in $PEERFLIX_HOME and the loopback namespace has no registry:" \
      "call peerflix_install before sourcing lib.sh, or run bash native-test/stream-clients.sh" >&2
    return 1
  fi
  echo "installing peerflix@$PEERFLIX_VERSION into $PEERFLIX_HOME ..." >&2
  local tmp="$PEERFLIX_HOME.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  # into a temporary directory first: a failed install never looks installed
  if ! npm install --prefix "$tmp" --no-audit --no-fund --omit=dev --save-exact --loglevel=error \
      "peerflix@$PEERFLIX_VERSION" >&2; then
    rm -rf "$tmp"; return 1
  fi
  rm -rf "$PEERFLIX_HOME"; mv "$tmp" "$PEERFLIX_HOME"
}

# _torrent_largest TORRENT: "LENGTH<TAB>PATH" of the largest file (not a BEP 47 pad file); PATH
# is the torrent's name for a single-file torrent, NAME/dir/file otherwise.
_torrent_largest() {
  "$PY" - "$1" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
def dec(i):
    c = data[i:i+1]
    if c == b"i":
        j = data.index(b"e", i); return int(data[i+1:j]), j + 1
    if c in (b"l", b"d"):
        out, i = [], i + 1
        while data[i:i+1] != b"e":
            v, i = dec(i); out.append(v)
        return (dict(zip(out[::2], out[1::2])) if c == b"d" else out), i + 1
    j = data.index(b":", i); n = int(data[i:j]); return data[j+1:j+1+n], j + 1 + n
info = dec(0)[0][b"info"]
name = (info.get(b"name.utf-8") or info[b"name"]).decode()
if b"files" not in info:
    print(f"{info[b'length']}\t{name}")
else:
    files = [f for f in info[b"files"] if b"p" not in f.get(b"attr", b"")]
    f = max(files, key=lambda f: f[b"length"])
    path = [p.decode() for p in (f.get(b"path.utf-8") or f[b"path"])]
    print(f"{f[b'length']}\t" + "/".join([name] + path))
EOF
}

# _alive PID MARKER: PID runs (a zombie does not) and has the argument MARKER or runs in the
# directory MARKER: guards against a reused PID. peerflix is found by its directory: it sets
# process.title, which overwrites its command line with "peerflix".
_alive() {
  [[ -n $1 && -r /proc/$1/cmdline ]] || return 1
  [[ $(readlink "/proc/$1/cwd" 2>/dev/null) == "$2" ]] && return 0
  { tr '\0' '\n' < "/proc/$1/cmdline"; } 2>/dev/null | grep -qxF -- "$2"
}

_mounted() { awk -v m="$1" '$5 == m {f = 1} END {exit !f}' /proc/self/mountinfo; }

# _fuse_abort MNT: aborts the FUSE connection of MNT (blocked and later reads fail with
# ENOTCONN at once). Mounts fusectl for it when it is missing, and unmounts it after.
_fuse_abort() {
  local dev; dev=$(awk -v m="$1" '$5 == m {d = $3} END {print d}' /proc/self/mountinfo)
  [[ -n $dev ]] || return 0
  local conns=/sys/fs/fuse/connections ours=""
  if [[ ! -e $conns/${dev#*:}/abort ]] && mount -t fusectl fusectl "$conns" 2>/dev/null; then ours=1; fi
  echo 1 > "$conns/${dev#*:}/abort" 2>/dev/null || true
  [[ -z $ours ]] || umount "$conns" 2>/dev/null || true
}

# _wait_gone PID MARKER SECS: waits for the process to exit, then SIGKILL
_wait_gone() {
  local end=$(( ${EPOCHREALTIME/./} + $3 * 1000000 ))
  while (( ${EPOCHREALTIME/./} < end )); do _alive "$1" "$2" || return 0; sleep 0.1; done
  echo "client $1 still running after $3 s: SIGKILL" >&2
  kill -9 "$1" 2>/dev/null || true
  sleep 0.2
}

_check_torfs_jar() {
  # the launcher rebuilds when sources are newer than the jar: do it here, not inside the timing
  local jar="$NT_ROOT/target/torfs.jar"
  if [[ ! -f $jar || -n "$(find "$NT_ROOT/src/main" "$NT_ROOT/pom.xml" -newer "$jar" -print -quit)" ]]; then
    (cd "$NT_ROOT" && mvn -B -q -DskipTests package >&2) || fail "torfs build failed"
  fi
}

client_start() {
  local name=$1 torrent=$2 data=${3%/}
  [[ -f $torrent ]] || fail "client_start: no torrent $torrent"
  if [[ -e $data && -n "$(ls -A "$data")" ]]; then fail "client_start: data dir $data is not empty"; fi
  mkdir -p "$data"
  torrent=$(readlink -f "$torrent"); data=$(readlink -f "$data")
  local largest rel
  largest=$(_torrent_largest "$torrent") || fail "cannot read $torrent"
  CLIENT_SIZE=${largest%%$'\t'*}; rel=${largest#*$'\t'}
  CLIENT_NAME=$name CLIENT_DATA=$data CLIENT_PID="" CLIENT_SOURCE="" CLIENT_MNT="" CLIENT_LOG="$data.log"
  local t0
  case $name in
    torfs)
      _check_torfs_jar
      CLIENT_MNT="$data.mnt"; mkdir -p "$CLIENT_MNT"
      on_exit "_client_stop_mount torfs '$CLIENT_MNT' '$data'"
      t0=$(now); CLIENT_T0=$t0
      torfs mount "$torrent" "$CLIENT_MNT" --data "$data" --port "${STREAM_TORFS_PORT:-6883}" \
        > "$CLIENT_LOG" 2>&1 || { cat "$CLIENT_LOG" >&2; fail "torfs mount failed"; }
      CLIENT_SOURCE="$CLIENT_MNT/$rel"
      wait_for test -e "$CLIENT_SOURCE" || fail "torfs: $rel never appeared"
      CLIENT_READY_SECS=$(elapsed "$t0")
      wait_for test -s "$data/torfs.pid" || fail "torfs: no $data/torfs.pid"
      CLIENT_PID=$(cat "$data/torfs.pid")
      ;;
    btfs)
      command -v btfs > /dev/null || fail "btfs is not installed (apt-get install btfs)"
      CLIENT_MNT="$data.mnt"; mkdir -p "$CLIENT_MNT"
      on_exit "_client_stop_mount btfs '$CLIENT_MNT' '$data'"
      local ports=${STREAM_BTFS_PORTS:-6884-6889}
      t0=$(now); CLIENT_T0=$t0
      btfs --data-directory="$data" --min-port="${ports%-*}" --max-port="${ports#*-}" \
        "$torrent" "$CLIENT_MNT" > "$CLIENT_LOG" 2>&1 || { cat "$CLIENT_LOG" >&2; fail "btfs failed"; }
      CLIENT_SOURCE="$CLIENT_MNT/$rel"
      wait_for test -e "$CLIENT_SOURCE" || fail "btfs: $rel never appeared"
      CLIENT_READY_SECS=$(elapsed "$t0")
      local p
      for p in $(pgrep -x btfs); do
        if _alive "$p" "$CLIENT_MNT"; then CLIENT_PID=$p; fi
      done
      [[ -n $CLIENT_PID ]] || fail "btfs: no process for $CLIENT_MNT"
      ;;
    peerflix)
      [[ -f $PEERFLIX_APP ]] || peerflix_install || fail "peerflix is not installed"
      t0=$(now); CLIENT_T0=$t0
      (cd "$data" && exec node "$PEERFLIX_APP" "$torrent" --quiet --no-dht --hostname 127.0.0.1 \
          --port "${STREAM_PEERFLIX_HTTP_PORT:-8888}" --peer-port "${STREAM_PEERFLIX_PEER_PORT:-6890}" \
          --path "$data" --tmp "$data") > "$CLIENT_LOG" 2>&1 < /dev/null &
      CLIENT_PID=$!
      on_exit "_client_stop_peerflix '$CLIENT_PID' '$data'"
      local url="" i
      for ((i = 0; i < 600; i++)); do
        url=$(grep -o 'server is listening on http://[0-9.]*:[0-9]*/' "$CLIENT_LOG" | head -1) && break
        kill -0 "$CLIENT_PID" 2>/dev/null || { cat "$CLIENT_LOG" >&2; fail "peerflix exited"; }
        sleep 0.05
      done
      [[ -n $url ]] || { cat "$CLIENT_LOG" >&2; fail "peerflix never listened"; }
      url=${url#server is listening on }
      # its own file list: the largest file's URL (peerflix serves file i at /i)
      CLIENT_SOURCE=$(curl -sf "${url}.json" | "$PY" -c '
import json, sys
fs = json.load(sys.stdin)["files"]
print(max(fs, key=lambda f: f["length"])["url"])') || fail "peerflix: no file list at ${url}.json"
      wait_for curl -sf -o /dev/null -I "$CLIENT_SOURCE" || fail "peerflix: $CLIENT_SOURCE never answered"
      CLIENT_READY_SECS=$(elapsed "$t0")
      ;;
    *) fail "client_start: unknown client $name" ;;
  esac
}

# _client_stop_mount torfs|btfs MNT DATA
_client_stop_mount() {
  local name=$1 mnt=$2 data=$3 pid="" wait_secs=30
  if [[ $name == torfs ]]; then
    [[ -s $data/torfs.pid ]] && pid=$(cat "$data/torfs.pid")
  else
    local p; for p in $(pgrep -x btfs); do _alive "$p" "$mnt" && pid=$p; done
  fi
  if _mounted "$mnt"; then
    local ok=0
    if [[ $name == torfs ]]; then
      timeout 60 torfs unmount "$mnt" >> "$data.log" 2>&1 && ok=1
    else
      timeout 20 fusermount -u "$mnt" 2>> "$data.log" && ok=1
    fi
    if (( ! ok )); then
      echo "$name: unmount of $mnt failed (busy or hung): aborting its FUSE connection" >&2
      _fuse_abort "$mnt"
      fusermount -u -z "$mnt" 2>/dev/null || true
      # btfs never exits after an abort: the thread of the read it could not serve keeps waiting
      [[ $name == btfs ]] && wait_secs=5
    fi
  fi
  # torfs saves its state, btfs deletes its data before they exit
  [[ -n $pid ]] && _wait_gone "$pid" "$mnt" "$wait_secs"
  ! _mounted "$mnt" && ! { [[ -n $pid ]] && _alive "$pid" "$mnt"; }
}

_client_stop_peerflix() {
  local pid=$1 data=$2
  _alive "$pid" "$data" || return 0
  kill "$pid" 2>/dev/null || true   # no handler without --remove: SIGTERM ends it at once
  _wait_gone "$pid" "$data" 30
  ! _alive "$pid" "$data"
}

client_stop() {
  local name=$1
  [[ $name == "${CLIENT_NAME:-}" ]] || fail "client_stop $name: the running client is ${CLIENT_NAME:-none}"
  case $name in
    torfs|btfs) _client_stop_mount "$name" "$CLIENT_MNT" "$CLIENT_DATA" || fail "$name left a mount or a process" ;;
    peerflix) _client_stop_peerflix "$CLIENT_PID" "$CLIENT_DATA" || fail "peerflix is still running" ;;
  esac
}

client_wait_peer() {
  local addr=$1 secs=${2:-30} i
  for ((i = 0; i < secs * 20; i++)); do
    if ss -tnpH state established dst "$addr" 2>/dev/null | grep -q "pid=$CLIENT_PID,"; then
      CLIENT_PEER_SECS=$(elapsed "$CLIENT_T0")
      return 0
    fi
    sleep 0.05
  done
  return 1
}

client_rss_kb() { peak_rss_kb "$CLIENT_PID"; }
client_cpu_s() { cpu_seconds "$CLIENT_PID"; }

# run as a script: install peerflix (outside any namespace)
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  peerflix_install
  echo "$PEERFLIX_APP"
fi
