# Helpers for the benchmark scripts: timing with /usr/bin/time and table printing.

# measure NAME CMD...: runs CMD under /usr/bin/time; appends "NAME wall user+sys maxrss_kb"
# to $RESULTS. Returns CMD's exit code.
measure() {
  local name=$1; shift
  local tf="$WORK/time-$RANDOM"
  local rc=0
  /usr/bin/time -f "%e %U %S %M" -o "$tf" "$@" || rc=$?
  read -r wall user sys rss < <(tail -1 "$tf")
  echo "$name $wall $(awk "BEGIN{print $user + $sys}") $rss $rc" >> "$RESULTS"
  return $rc
}

# peak_rss_kb PID: the process's VmHWM (peak resident set) in KiB, or 0.
peak_rss_kb() {
  awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0
}

# cpu_seconds PID: user+system CPU seconds the process has used so far.
cpu_seconds() {
  local tck; tck=$(getconf CLK_TCK)
  awk -v t="$tck" '{print ($14 + $15) / t}' "/proc/$1/stat" 2>/dev/null || echo 0
}

now() { date +%s.%N; }
elapsed() { awk "BEGIN{printf \"%.3f\", $(now) - $1}"; }

# drop_caches: the page cache emptied, so a run reads from disk as a user's first one does
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }

# run_rounds CLIENT...: $ROUNDS rounds, each calling run_CLIENT for every client from an empty
# page cache, the order rotated per round so no client always goes first
run_rounds() {
  local clients=("$@") r i c
  for ((r = 0; r < ROUNDS; r++)); do
    for ((i = 0; i < ${#clients[@]}; i++)); do
      c=${clients[$(( (i + r) % ${#clients[@]} ))]}
      drop_caches
      echo "round $((r + 1))/$ROUNDS: $c..." >&2
      "run_$c"
    done
  done
}
