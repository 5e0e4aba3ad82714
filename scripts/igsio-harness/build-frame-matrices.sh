#!/usr/bin/env bash
# Builds frame_matrices.cxx (IGSIO's per-frame pixel-to-voxel matrices as bit patterns) against an
# IGSIO build made by ../shared/anchors/igsio/build.sh.
#   scripts/igsio-harness/build-frame-matrices.sh /work/igsio-build [OUT]      (OUT default /tmp/frame_matrices)
# Then: OUT CONFIG.xml SEQUENCE.igs.mha > matrices.txt, and
#   FREEHAND_IGSIO_MATRICES=matrices.txt FREEHAND_IGSIO_MATRICES_CONFIG=CONFIG.xml FREEHAND_IGSIO_MATRICES_SEQUENCE=SEQUENCE.igs.mha \
#     swift test --filter IGSIOMatrixDumpTests
# compares every frame's ImageToReference and FrameMapping with Freehand's, bit for bit.
set -euo pipefail
igsio="${1:?usage: $0 IGSIO_BUILD_DIR [OUT]}"
out="${2:-/tmp/frame_matrices}"
here="$(cd "$(dirname "$0")" && pwd)"
b="$igsio/build"; s="$igsio/src"
vtk=/usr/lib/x86_64-linux-gnu
c++ -std=c++17 -O2 "$here/frame_matrices.cxx" -o "$out" \
  -I"$s/IGSIOCommon" -I"$b/IGSIOCommon" -I"$b" -I"$s/SequenceIO" -I"$b/SequenceIO" \
  -I"$s/VolumeReconstruction" -I"$b/VolumeReconstruction" -I"$igsio/vtkAddon-src" -I"$igsio/vtkAddon-build" \
  -isystem /usr/include/vtk-9.1 -isystem /usr/include/ITK-5.2 \
  -Wl,--unresolved-symbols=ignore-in-shared-libs -Wl,-rpath,"$b/lib:$igsio/vtkAddon-build" \
  "$b/lib/libvtkVolumeReconstruction.so" "$b/lib/libvtkSequenceIO.so" "$b/lib/libvtkIGSIOCommon.so" \
  "$igsio/vtkAddon-build/libvtkAddon.so" \
  "$vtk/libvtkCommonTransforms-9.1.so" "$vtk/libvtkCommonDataModel-9.1.so" "$vtk/libvtkCommonMath-9.1.so" \
  "$vtk/libvtkCommonCore-9.1.so" "$vtk/libvtkIOXMLParser-9.1.so" "$vtk/libvtksys-9.1.so"
echo "built $out"
