#!/usr/bin/env bash
# Benchmark of a large tree: 100,000 small files in 100 directories (made by code in a temp
# dir, never kept), its .torrent from `torfs create`, mounted by torfs (launcher defaults,
# the data directory holding the complete data, checked once before the timed mount so the
# timed one trusts its resume state) and by btfs (Debian; browse-only, no data), beside the
# same tree on the local disk. For each: mount command -> tree visible, `find | wc -l`,
# `ls -lR > /dev/null` (cold: first walk after the mount, page cache dropped), peak RSS of the
# filesystem's process. Prints one markdown table.
#   usage: native-test/bench-tree.sh [DIRS] [FILES_PER_DIR]
source "$(dirname "$0")/lib.sh"
source "$NT_ROOT/native-test/bench-lib.sh"
in_loopback_netns "$@"
DIRS=${1:-100}
PER=${2:-1000}
FILES=$((DIRS * PER))
[[ -f $TORFS_JAR ]] || (cd "$NT_ROOT" && mvn -B -q -DskipTests package)
command -v btfs > /dev/null || skip "btfs not installed"

S="$WORK/src/tree"
mkdir -p "$S"
echo "generating $FILES files..." >&2
"$PY" "$NT_ROOT/native-test/make_tree.py" "$S" "$DIRS" "$PER"
torfs create "$S" -o "$WORK/t.torrent" > /dev/null
TORRENT_MB=$(awk "BEGIN{printf \"%.1f\", $(stat -c %s "$WORK/t.torrent") / 1e6}")

# walk NAME DIR PID: times find and ls -lR over DIR; appends a row
walk() {
  local name=$1 dir=$2 pid=$3 mount_secs=$4
  drop_caches
  local t0 n; t0=$(now)
  n=$(find "$dir" | wc -l)
  local find_secs; find_secs=$(elapsed "$t0")
  (( n >= FILES )) || fail "$name: find counted $n entries, want at least $FILES"
  drop_caches
  t0=$(now)
  ls -lR "$dir" > /dev/null || fail "$name: ls -lR failed"
  local ls_secs; ls_secs=$(elapsed "$t0")
  local rss=0
  [[ $pid != - ]] && rss=$(peak_rss_kb "$pid")
  ROWS+=("$(awk -v n="$name" -v m="$mount_secs" -v f="$find_secs" -v l="$ls_secs" -v r="$rss" \
      'BEGIN{printf "| %s | %s | %.2f | %.2f | %s |", n, m, f, l, (r > 0 ? sprintf("%.0f", r/1024) : "-")}')")
  echo "${ROWS[-1]}" >&2
}

ROWS=()
echo "local disk..." >&2
walk "local disk (same tree)" "$S" - "-"

echo "torfs..." >&2
M="$WORK/mnt-torfs"; mkdir -p "$M"
# wait_exit PID: the mount process saves its resume state on the way out
wait_exit() { for _ in $(seq 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; }
# the first mount hashes the data once and saves its resume state when it ends; the timed
# one trusts it
torfs mount "$WORK/t.torrent" "$M" --data "$WORK/src" > /dev/null || fail "torfs mount failed"
on_exit "torfs unmount '$M' >/dev/null 2>&1 || fusermount -u -z '$M' 2>/dev/null"
pid=$(cat "$WORK/src/torfs.pid")
for _ in $(seq 600); do [[ $(progress_pct "$M/tree") == 100 ]] && break; sleep 0.5; done
[[ $(progress_pct "$M/tree") == 100 ]] || fail "torfs: the data check did not finish"
torfs unmount "$M" > /dev/null
wait_exit "$pid"
drop_caches
t0=$(now)
torfs mount "$WORK/t.torrent" "$M" --data "$WORK/src" > /dev/null || fail "torfs mount failed"
wait_for test -d "$M/tree/dir000" || fail "torfs: tree never appeared"
mount_secs=$(elapsed "$t0")
pid=$(cat "$WORK/src/torfs.pid")
walk torfs "$M" "$pid" "$mount_secs"
torfs unmount "$M" > /dev/null
wait_exit "$pid"

echo "btfs..." >&2
B="$WORK/mnt-btfs"; mkdir -p "$B"
drop_caches
t0=$(now)
btfs --browse-only --data-directory="$WORK/d-btfs" --min-port=6884 --max-port=6889 "$WORK/t.torrent" "$B" \
  || fail "btfs mount failed"
on_exit "fusermount -u -z '$B' 2>/dev/null"
wait_for test -d "$B/tree/dir000" || fail "btfs: tree never appeared"
btfs_secs=$(elapsed "$t0")
walk btfs "$B" "$(pgrep -n -f "btfs.*$B")" "$btfs_secs"
fusermount -u "$B"

echo
echo "## Large-tree benchmark, $(date -u +%F): $FILES files in $DIRS directories (1-2000 bytes each), ${TORRENT_MB} MB .torrent"
echo
echo "| fs | mount -> tree s | find \\| wc -l s | ls -lR s | peak RSS MB |"
echo "|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
