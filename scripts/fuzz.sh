#!/usr/bin/env bash
# Fuzzes each Jazzer @FuzzTest for its maxDuration (60 s), one after the other. Plain `mvn test`
# only replays the saved inputs in src/test/resources/<package>/<Class>Inputs/<method>/; setting
# JAZZER_FUZZ makes jazzer-junit fuzz instead, one target per JVM (hence -Dtest=Class#method).
# A finding stops that target and is saved as a crash-<sha1> file in its inputs directory, where
# plain `mvn test` replays it from then on: fix the bug, keep the file as a regression seed.
# The growing corpus lives in .cifuzz-corpus/ (git-ignored).
#   usage: scripts/fuzz.sh [Class#method ...]     (default: every @FuzzTest under src/test/java)
set -u
cd "$(dirname "$0")/.."
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  while IFS= read -r f; do
    cls=$(basename "$f" .java)
    for m in $(grep -A3 '@FuzzTest' "$f" | grep -oE 'void [a-zA-Z0-9_]+' | cut -d' ' -f2); do
      targets+=("$cls#$m")
    done
  done < <(grep -rl '@FuzzTest' src/test/java | sort)
fi
mvn -B -q -o test-compile
status=0
for t in "${targets[@]}"; do
  log="target/fuzz-${t//#/-}.log"
  if JAZZER_FUZZ=1 mvn -B -o surefire:test -Dtest="$t" > "$log" 2>&1; then
    echo "ok       $t  ($(grep -a -oE '^Done [0-9]+ runs in [0-9]+ second' "$log"))"
  else
    echo "FINDING  $t  (see $log; the input is under src/test/resources)"; status=1
  fi
done
exit $status
