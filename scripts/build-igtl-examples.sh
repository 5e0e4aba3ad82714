#!/usr/bin/env bash
# Builds the libopenigtlink example peers the IGTLink interoperability tests talk to:
# ImagerServer, TrackerServer and ReceiveServer from /usr/share/doc/openigtlink-examples/examples
# (Debian package openigtlink-examples, sources only), plus bind-loopback.so, an LD_PRELOAD shim
# that turns their bind() to INADDR_ANY into 127.0.0.1 so the tests never listen on a real
# interface. Output: .build-igtl-examples/ (git-ignored). Idempotent: exits at once when built.
#   scripts/build-igtl-examples.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."
src=${OPENIGTLINK_EXAMPLES:-/usr/share/doc/openigtlink-examples/examples}
out=.build-igtl-examples
programs=(Imager/ImagerServer Tracker/TrackerServer Receiver/ReceiveServer)

built=1
for p in "${programs[@]}"; do [ -x "$out/bin/$(basename "$p")" ] || built=0; done
[ -f "$out/bin/bind-loopback.so" ] || built=0
if [ $built -eq 1 ] && [ "${1:-}" != "--force" ]; then
  echo "build-igtl-examples: already built in $out (use --force to rebuild)"
  exit 0
fi

[ -d "$src" ] || { echo "build-igtl-examples: $src not found; install openigtlink-examples (apt) or set OPENIGTLINK_EXAMPLES" >&2; exit 1; }
command -v cmake >/dev/null || { echo "build-igtl-examples: cmake not found (apt-get install cmake g++)" >&2; exit 1; }
cfg=$(dirname "$(find /usr/lib /usr/local/lib -name OpenIGTLinkConfig.cmake -print -quit 2>/dev/null)")
[ -n "$cfg" ] && [ -f "$cfg/OpenIGTLinkConfig.cmake" ] || { echo "build-igtl-examples: OpenIGTLinkConfig.cmake not found; install libopenigtlink-dev" >&2; exit 1; }

mkdir -p "$out/bin"
for p in "${programs[@]}"; do
  dir=$(dirname "$p")
  cmake -S "$src/$dir" -B "$out/$dir" -DOpenIGTLink_DIR="$cfg" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_POLICY_VERSION_MINIMUM=3.5 -Wno-dev --no-warn-unused-cli >/dev/null
  cmake --build "$out/$dir" --target "$(basename "$p")" -j2 >/dev/null
  cp "$out/$p" "$out/bin/"
done
cp -r "$src/Imager/img" "$out/bin/img"

cat > "$out/bind-loopback.c" <<'C'
/* LD_PRELOAD shim: binds that ask for any IPv4/IPv6 address get loopback instead. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
int bind(int fd, const struct sockaddr *addr, socklen_t len) {
  static int (*real_bind)(int, const struct sockaddr *, socklen_t);
  if (!real_bind) real_bind = (int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "bind");
  if (addr && addr->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
    struct sockaddr_in a; memcpy(&a, addr, sizeof a);
    if (a.sin_addr.s_addr == htonl(INADDR_ANY)) a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return real_bind(fd, (struct sockaddr *)&a, sizeof a);
  }
  if (addr && addr->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
    struct sockaddr_in6 a; memcpy(&a, addr, sizeof a);
    if (memcmp(&a.sin6_addr, &in6addr_any, sizeof a.sin6_addr) == 0) a.sin6_addr = in6addr_loopback;
    return real_bind(fd, (struct sockaddr *)&a, sizeof a);
  }
  return real_bind(fd, addr, len);
}
C
cc -shared -fPIC -O2 -o "$out/bin/bind-loopback.so" "$out/bind-loopback.c" -ldl
echo "build-igtl-examples: built ${programs[*]##*/} and bind-loopback.so in $out/bin"
