# The set-up the swarm benchmarks share (stream-bench.sh, bench-startup.sh): sourced once their
# options are parsed, at the top level so that lib.sh re-executes the script with its own "$@"
# inside a loopback-only namespace. Installs peerflix from npm when $CLIENTS names it (before
# the namespace: the registry is unreachable inside), sources the test helpers and the swarm,
# installs the benchmark packages, builds torfs and sets PLAYER to the player emulator.
if [[ " $CLIENTS " == *" peerflix "* ]]; then
  peerflix_install || exit 1
fi
source "$(dirname "$0")/lib.sh"
source "$NT_ROOT/native-test/swarm/swarm.sh"
in_loopback_netns "$@"
"$NT_ROOT/scripts/install-deps.sh" --bench
(cd "$NT_ROOT" && mvn -B -q -DskipTests package) || fail "build failed"
PLAYER="$NT_ROOT/native-test/player/player.py"
