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
