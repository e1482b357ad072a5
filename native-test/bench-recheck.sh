#!/usr/bin/env bash
# A mount over data that must be checked: a download of SIZE_MB (default 2000) cut short at
# 80 % with no resume state that matches (another client's, or ours after kill -9), its rest
# served by one python3-libtorrent seeder on loopback. Per round, from a fresh process with the
# page cache dropped: launch -> tree, the first read of 1 MiB at 50 % (on disk), then of 1 MiB
# at 90 % (missing), and launch -> complete (every piece verified). BEFORE=PATH/TO/scripts/torfs
# adds the same rounds of another build (e.g. main's), alternating with this one.
#
#   usage: native-test/bench-recheck.sh [SIZE_MB]        ROUNDS=3 by default
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
SIZE_MB=${1:-2000} ROUNDS=${ROUNDS:-3}
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"
(cd "$NT_ROOT" && mvn -B -q -DskipTests package) || fail "build failed"
MIB=1048576
mkdir -p "$WORK/src/p"
echo "generating ${SIZE_MB} MiB..." >&2
head -c $((SIZE_MB * MIB)) /dev/urandom > "$WORK/src/p/a.bin"
torfs create "$WORK/src/p" -o "$WORK/t.torrent" --piece-size 1M > /dev/null
lt_seed "$WORK/t.torrent" "$WORK/src" 127.0.0.2:16881
D="$WORK/data"; mkdir -p "$D/p"
CUT=$((SIZE_MB * 8 / 10))
head -c $((CUT * MIB)) "$WORK/src/p/a.bin" > "$D/p/a.bin"

clients=("now=$NT_ROOT/scripts/torfs")
[[ -n ${BEFORE:-} ]] && clients+=("before=$BEFORE")
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
# one_round LABEL TORFS: prints "LABEL tree read_on_disk read_missing complete"
one_round() {
  local label=$1 bin=$2 M="$WORK/m" t0 tree on miss done
  truncate -s $((CUT * MIB)) "$D/p/a.bin"  # what the last round fetched goes again
  rm -rf "$D/.torfs" "$D"/torfs.*
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  mkdir -p "$M"
  t0=$(now)
  "$bin" mount "$WORK/t.torrent" "$M" --data "$D" --peer 127.0.0.2:16881 --no-dht 2> /dev/null \
    || fail "$label: mount failed"
  while [[ ! -e $M/p/a.bin ]]; do sleep 0.005; done
  tree=$(since "$t0")
  local t1; t1=$(now)
  cmp <(dd if="$M/p/a.bin" bs=1M skip=$((SIZE_MB / 2)) count=1 status=none) \
      <(dd if="$WORK/src/p/a.bin" bs=1M skip=$((SIZE_MB / 2)) count=1 status=none) || fail "$label: wrong bytes at 50 %"
  on=$(since "$t1"); t1=$(now)
  cmp <(dd if="$M/p/a.bin" bs=1M skip=$((SIZE_MB * 9 / 10)) count=1 status=none) \
      <(dd if="$WORK/src/p/a.bin" bs=1M skip=$((SIZE_MB * 9 / 10)) count=1 status=none) || fail "$label: wrong bytes at 90 %"
  miss=$(since "$t1")
  until "$bin" status --mount "$M" 2>/dev/null | grep -q "seeding .*100.0%"; do sleep 0.05; done
  done=$(since "$t0")
  "$bin" unmount "$M" > /dev/null || fail "$label: unmount failed"
  printf '%s %.2f %.2f %.2f %.2f\n' "$label" "$tree" "$on" "$miss" "$done"
}

results=()
for r in $(seq "$ROUNDS"); do
  for c in "${clients[@]}"; do
    results+=("$(one_round "${c%%=*}" "${c#*=}")")
    echo "  ${results[-1]}" >&2
  done
done
cmp "$WORK/src/p/a.bin" "$D/p/a.bin" || fail "the data on disk is wrong at the end"
echo "## Re-check benchmark, $(date +%F): ${SIZE_MB} MiB, 1 MiB pieces, 80 % on disk without a resume state"
echo
echo "| build | launch -> tree s | read at 50 % (on disk) s | read at 90 % (missing) s | launch -> complete s |"
echo "|---|---|---|---|---|"
for c in "${clients[@]}"; do
  label=${c%%=*}
  printf '%s\n' "${results[@]}" | awk -v l="$label" '$1 == l {
    t = t sep $2; o = o sep $3; m = m sep $4; d = d sep $5; sep = ", " }
    END { printf "| %s | %s | %s | %s | %s |\n", l, t, o, m, d }'
done
