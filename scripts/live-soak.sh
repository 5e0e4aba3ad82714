#!/usr/bin/env bash
# Soak benchmark for the live path (not a unit test): `freehand replay --synthetic` streams
# WIDTHxHEIGHT frames at FPS with tracking (IMAGE Image_Probe + ProbeToTracker at 2x FPS +
# ReferenceToTracker) for SECONDS; `freehand listen --report` pairs, compounds and reports every
# 10 s (rate, drops, latency receive->compounded p50/p99, RSS and peak RSS), then a final line.
# Usage: scripts/live-soak.sh [SECONDS=60] [WIDTHxHEIGHT=640x480] [FPS=30] [PORT=18977]
# Uses the release build (swift build -c release --product freehand).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}; size=${2:-640x480}; fps=${3:-30}; port=${4:-18977}
bin=.build/release/freehand
[ -x "$bin" ] || swift build -c release --product freehand
frames=$(python3 -c "import math; print(math.ceil($seconds * $fps))")
out=$(mktemp -d)
# Grid covering the synthetic sweep (x -42..22, y -20..28, z -64..4 mm in Reference) at 0.5 mm.
"$bin" replay --synthetic "$size" --fps "$fps" --duration "$seconds" --port "$port" --quiet > "$out/replay.txt" 2>&1 &
replay=$!
trap 'kill $replay 2>/dev/null || true' EXIT
sleep 0.5
/usr/bin/time -v "$bin" listen --port "$port" --spacing 0.5 --origin=-43,-21,-65 --extent 0,130,0,100,0,140 \
    --frames "$frames" --no-fill-holes -o "$out/soak.nrrd" --report --quiet 2> "$out/time.txt" | tee "$out/listen.txt"
wait "$replay"
cat "$out/replay.txt"
grep -E "Maximum resident|Elapsed|Percent of CPU" "$out/time.txt" || true
echo "outputs in $out"
