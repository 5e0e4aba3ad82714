#!/usr/bin/env bash
# Installs the test peers (pyigtl, SimpleITK, libopenigtlink examples) and runs the whole suite.
# Tests that need ../shared (PLUS reference data) skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test-peers
# Hide Swift Testing's per-test "started" lines; the exit status is swift test's.
swift build --build-tests   # also builds the freehand executable the CLI tests run
swift test 2>&1 | grep --line-buffered -vE ' started\.$'
