#!/usr/bin/env bash
# Builds the IGTLink codec with libFuzzer + AddressSanitizer and fuzzes the stream decoder,
# starting from Tests/IGTLinkTests/FuzzCorpus. The codec (CLayer, Codec, Messages) and the
# Geometry and Imaging sources are compiled into one module; empty Geometry/Imaging modules
# satisfy their imports. Output and the growing corpus: .build-igtl-fuzz/ (git-ignored).
#   Tests/IGTLinkTests/LibFuzzer/run.sh [seconds=60] [extra libFuzzer flags...]
set -euo pipefail
cd "$(dirname "$0")/../../.."
seconds=${1:-60}; shift || true
out=.build-igtl-fuzz
mkdir -p "$out/corpus"
cp -n Tests/IGTLinkTests/FuzzCorpus/*.bin "$out/corpus/" 2>/dev/null || true
maps=(-Xcc -fmodule-map-file="$PWD/Sources/COpenIGTLink/module.modulemap" -Xcc -fmodule-map-file="$PWD/Sources/CZlib/module.modulemap")
echo "" > "$out/empty.swift"
for m in Geometry Imaging; do swiftc -emit-module -parse-as-library -module-name $m "$out/empty.swift" -o "$out/$m.swiftmodule"; done
swiftc -sanitize=fuzzer,address -parse-as-library -O -I "$out" -module-name IGTLinkFuzzed -emit-library -static -emit-module \
  -emit-module-path "$out/IGTLinkFuzzed.swiftmodule" -o "$out/libIGTLinkFuzzed.a" "${maps[@]}" \
  Sources/Geometry/*.swift Sources/Imaging/*.swift Sources/IGTLink/CLayer/*.swift Sources/IGTLink/Codec/*.swift Sources/IGTLink/Messages/*.swift
swiftc -sanitize=fuzzer,address -parse-as-library -O -I "$out" "${maps[@]}" Tests/IGTLinkTests/LibFuzzer/FuzzDecoder.swift \
  "$out/libIGTLinkFuzzed.a" -lOpenIGTLink -lstdc++ -lz -o "$out/igtl-fuzz"
exec "$out/igtl-fuzz" -max_total_time="$seconds" -max_len=400000 -rss_limit_mb=1024 "$@" "$out/corpus"
