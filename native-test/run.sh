#!/usr/bin/env bash
# Runs every native-test/test-*.sh against the real torfs binary and prints
# "N passed, N failed". Each test exits 0 on success, 77 when it must be skipped.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
(mvn -B -q -DskipTests package) || { echo "native-test: build failed" >&2; exit 1; }
passed=0 failed=0 skipped=0 failures=()
for t in native-test/test-*.sh; do
  [[ -e "$t" ]] || continue
  name="$(basename "$t" .sh)"
  start=$(date +%s)
  log="$(mktemp)"
  timeout --kill-after=10 600 bash "$t" > "$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  if [[ $rc -eq 0 ]]; then
    passed=$((passed + 1)); echo "PASS $name (${secs}s)"
  elif [[ $rc -eq 77 ]]; then
    skipped=$((skipped + 1)); echo "SKIP $name: $(tail -1 "$log")"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "FAIL $name (exit $rc, ${secs}s)"
    sed 's/^/    /' "$log" | tail -40
  fi
  rm -f "$log"
done
echo "native-test: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
