#!/usr/bin/env bash
# Runs the whole suite (scripts/test.sh) while two CPU-bound processes run beside it, as on a
# busy 2-core CI machine: every test must pass on conditions, not on timing, and every wait has a
# deadline, so the run always finishes. Usage: scripts/test-under-load.sh [LOAD_PROCESSES=2] [SWIFT_TEST_ARGS...]
# (e.g. `scripts/test-under-load.sh 2 --filter BackPressure` for one area).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2}
shift || true
pids=()
for _ in $(seq "$n"); do
    python3 -c "while True: pass" &
    pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
echo "test-under-load: $n CPU-bound processes (${pids[*]}) beside the suite; load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
scripts/test.sh "$@" || status=$?
echo "test-under-load: suite exit status $status; load average $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
