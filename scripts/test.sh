#!/usr/bin/env bash
# Runs every test: installs what is missing, then `mvn verify` (unit, fuzz replay, interop)
# and native-test/ (the real binary on a real FUSE mount with real peers).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/install-deps.sh
mvn -B verify
native-test/run.sh
