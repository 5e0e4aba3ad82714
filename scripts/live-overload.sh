#!/usr/bin/env bash
# Overload benchmark for the live path (not a unit test). `freehand replay --synthetic` streams
# WIDTHxHEIGHT frames at FPS with tracking for SECONDS; `freehand listen` compounds them with
# LINEAR interpolation (slower than the frames arrive on a small machine), once by default
# (bounded frame queue, oldest frames dropped and counted) and once with --lossless (the socket
# is not read while 64 messages wait, so TCP holds the sender back). For each run it prints the
# final report line: received (images) = compounded + dropped + rejected, and the
# receive->compounded latency p50/p99, plus the wall time and what the sender reports.
# Usage: scripts/live-overload.sh [SECONDS=30] [WIDTHxHEIGHT=640x480] [FPS=60] [PORT=18978] [LISTEN OPTIONS...]
# Uses the release build (swift build -c release --product freehand).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}; size=${2:-640x480}; fps=${3:-60}; port=${4:-18978}
shift $(( $# < 4 ? $# : 4 )); extra=("$@")
bin=.build/release/freehand
[ -x "$bin" ] || swift build -c release --product freehand
frames=$(python3 -c "import math; print(math.ceil($seconds * $fps))")
out=$(mktemp -d)
cat > "$out/linear.xml" <<'XML'
<PlusConfiguration version="2.1">
  <VolumeReconstruction OutputSpacing="0.5 0.5 0.5" Interpolation="LINEAR" CompoundingMode="MEAN" FillHoles="OFF"
                        ImageCoordinateFrame="Image" ReferenceCoordinateFrame="Reference"/>
</PlusConfiguration>
XML
run() {  # run NAME [listen options...]
    local name=$1; shift
    "$bin" replay --synthetic "$size" --fps "$fps" --duration "$seconds" --port "$port" > "$out/$name-replay.txt" 2>&1 &
    local replay=$!
    sleep 0.5
    local start=$(date +%s.%N)
    # Grid covering the synthetic sweep (as scripts/live-soak.sh).
    timeout $((seconds * 6 + 60)) "$bin" listen --port "$port" --config "$out/linear.xml" --origin=-43,-21,-65 \
        --extent 0,130,0,100,0,140 --frames "$frames" --no-reconnect -o "$out/$name.nrrd" --report --quiet "${extra[@]}" "$@" \
        > "$out/$name-listen.txt" 2>&1 || true
    local end=$(date +%s.%N)
    kill "$replay" 2>/dev/null || true
    wait "$replay" 2>/dev/null || true
    echo "== $name (${extra[*]} $*): wall $(python3 -c "print(round($end - $start, 1))") s for $seconds s of stream"
    grep -E "^final " "$out/$name-listen.txt" || tail -3 "$out/$name-listen.txt"
    grep -E "^freehand: [0-9]+ received" "$out/$name-listen.txt" || true
    tail -1 "$out/$name-replay.txt"
}
run default
run lossless --lossless
echo "outputs in $out"
