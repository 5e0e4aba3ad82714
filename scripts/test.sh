#!/usr/bin/env bash
# Installs the test peers (pyigtl, SimpleITK, libopenigtlink examples) and runs the whole suite
# (arguments go to `swift test`, e.g. `--filter BackPressure`).
# Tests that need ../shared (PLUS reference data) skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test-peers
# Swift 6.3.1 (Swift 6 mode) under-allocates the async frame of a function that awaits a
# Task's `.value` (an 8-byte typed-error write past the frame, found with AddressSanitizer; heap
# corruption without it). Await `.result` / `.result.get()` instead; this keeps it out.
if grep -rnE 'await [A-Za-z_.?]+\.value\b' Sources Tests; then
  echo "test.sh: await Task.result(.get()) instead of Task.value (Swift 6.3.1 async-frame bug, see above)" >&2
  exit 1
fi
# Hide Swift Testing's per-test "started" lines; the exit status is swift test's.
swift build --build-tests   # also builds the freehand executable the CLI tests run
# The same compiler also gives some async functions a context shorter than their frame (ASan: a
# write 0 bytes past a swift::StackAllocator region; without it glibc's "double free or
# corruption (!prev)" hundreds of tests later), e.g. test helpers that built LiveReceiver.Options
# inline and awaited run(); build such values in synchronous functions (receiveLive in
# Tests/LiveTests/LiveTestSupport.swift). This finds them in the built binaries (x86-64 only).
if [ "$(uname -m)" != x86_64 ]; then
  echo "test.sh: async frame check skipped (it reads x86-64 code)" >&2
elif ! command -v llvm-nm >/dev/null || ! command -v llvm-objdump >/dev/null; then
  echo "test.sh: async frame check skipped: llvm-nm / llvm-objdump not on PATH (they come with the Swift toolchain)" >&2
else
  modules=$(ls Sources Tests | grep -vE ':$|^$' | paste -sd, -)
  bin=$(swift build --show-bin-path)
  scripts/check-async-frames.py --modules "$modules" "$bin/FreehandPackageTests.xctest" "$bin/freehand"
fi
swift test "$@" 2>&1 | grep --line-buffered -vE ' started\.$'
