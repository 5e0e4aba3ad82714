#!/usr/bin/env bash
# Installs everything Freehand needs on a fresh Debian machine (run as root or with sudo).
#   scripts/setup.sh               system libraries + release build of `freehand`
#   scripts/setup.sh --test-peers  also the interoperability peers the tests talk to
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
need=(libopenigtlink-dev libusb-1.0-0-dev zlib1g-dev pkg-config)
peers=0; [ "${1:-}" = "--test-peers" ] && peers=1
[ $peers -eq 1 ] && need+=(openigtlink-examples cmake g++ python3-pip tmux umockdev)
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  if ! $SUDO apt-get install -y -qq "${missing[@]}"; then
    if [[ " ${missing[*]} " == *" libopenigtlink-dev "* ]] && [ -n "${OPENIGTLINK_SOURCE:-}" ]; then
      scripts/build-openigtlink.sh "$OPENIGTLINK_SOURCE"
    else
      echo "setup: could not install ${missing[*]}. If your distribution lacks libopenigtlink-dev," >&2
      echo "       set OPENIGTLINK_SOURCE=/path/to/OpenIGTLink (an upstream source tree) and run again." >&2
      exit 1
    fi
  fi
fi
if [ $peers -eq 1 ]; then
  peers_py=(pyigtl==0.3.4 SimpleITK pynrrd numpy scipy)
  if ! python3 -c "import pyigtl, SimpleITK, nrrd, numpy, scipy" 2>/dev/null; then
    # Debian's own python3 refuses system-wide pip installs (PEP 668); these are test peers only.
    python3 -m pip install -q --disable-pip-version-check "${peers_py[@]}" 2>/dev/null \
      || python3 -m pip install -q --disable-pip-version-check --break-system-packages "${peers_py[@]}" \
      || echo "setup: could not install the Python test peers (${peers_py[*]}); their tests will skip" >&2
  fi
  if [ -x scripts/build-igtl-examples.sh ]; then scripts/build-igtl-examples.sh; fi
fi
