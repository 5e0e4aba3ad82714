#!/usr/bin/env bash
# Builds and installs OpenIGTLink from an upstream source tree, for systems whose package
# manager lacks libopenigtlink-dev. Installs headers under /usr/include/openigtlink and the
# library as /usr/lib/libOpenIGTLink.so, the layout Debian uses and Package.swift expects.
#   scripts/build-openigtlink.sh /path/to/OpenIGTLink
set -euo pipefail
src="${1:?usage: build-openigtlink.sh /path/to/OpenIGTLink-source}"
[ -f "$src/CMakeLists.txt" ] || { echo "build-openigtlink: $src has no CMakeLists.txt; point it at an OpenIGTLink source tree" >&2; exit 1; }
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
command -v cmake >/dev/null || $SUDO apt-get install -y -qq cmake g++
build=$(mktemp -d)
cmake -S "$src" -B "$build" -DBUILD_SHARED_LIBS=ON -DBUILD_TESTING=OFF -DBUILD_EXAMPLES=OFF \
      -DOpenIGTLink_PROTOCOL_VERSION_2=ON -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_INSTALL_PREFIX=/usr -DOpenIGTLink_INSTALL_INCLUDE_DIR=include/openigtlink -DOpenIGTLink_INSTALL_LIB_DIR=lib
cmake --build "$build" -j"$(nproc)"
$SUDO cmake --install "$build"
$SUDO ldconfig
