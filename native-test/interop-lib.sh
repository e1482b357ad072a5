# Shared start of the interop scripts that JUnit tests run as `SCRIPT JAVA CLASSPATH`
# (torfs.NamespaceScript): source it first thing. It re-executes the script in a network
# namespace that has only loopback, then sets JAVA, CLASSPATH_ARG, HERE (the script's
# directory), PY and DIR (a temp dir). At exit it ends the processes whose PIDs the script
# added to PIDS (only those: we end what we started), runs after_stop, and removes DIR.
set -euo pipefail

if [ -z "${TORFS_IN_NETNS:-}" ]; then
    exec unshare --net --fork env TORFS_IN_NETNS=1 bash "$0" "$@"
fi

JAVA=$1
CLASSPATH_ARG=$2
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3

ip link set lo up

DIR=$(mktemp -d)
PIDS=()
# a script redefines this to show logs once its processes have stopped
after_stop() { :; }
cleanup() {
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    for p in "${PIDS[@]}"; do
        wait "$p" 2>/dev/null || true
    done
    after_stop
    rm -rf "$DIR"
}
trap cleanup EXIT

# wait_for FILE TEXT PID [SECONDS]: until FILE holds TEXT; fails, showing FILE, when PID dies
# first or SECONDS (30) pass
wait_for() {
    for _ in $(seq 1 $((${4:-30} * 10))); do
        if grep -q "$2" "$1" 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$3" 2>/dev/null; then
            echo "process $3 exited early:" >&2
            cat "$1" >&2 || true
            exit 1
        fi
        sleep 0.1
    done
    echo "timed out waiting for '$2' in $1:" >&2
    cat "$1" >&2 || true
    exit 1
}
