#!/usr/bin/env bash
# Installs the Debian packages TorFS and its tests need, when missing.
# As root it runs apt-get; otherwise it prints the exact line to run and fails.
set -euo pipefail

# Runtime: libfuse2 (jnr-fuse loads libfuse.so.2), fuse3 (its fusermount) and libssl3 (SHA-1
# of pieces in libcrypto; without it the JDK's, with more CPU).
# Tests: real peers and trackers, shell tools a user would use, mpv (the player emulator is
# checked against it), nginx-light (a web seed that answers Range requests), qbittorrent-nox
# and rtorrent (encrypted peers; curl drives qBittorrent's WebUI API); strace (counts a
# download's flushes behind its writes).
# chromium, chromium-driver and python3-selenium: the web status page's test drives Debian's own
# headless browser (nothing downloads a browser build).
# Packaging: asciidoctor turns picocli's AsciiDoc man pages into troff (scripts/package-deb.sh);
# systemd's systemd-analyze checks the unit template, openssl makes the https web seed's certificate.
PACKAGES=(iproute2 fuse3 libfuse2 libssl3 attr mktorrent aria2 python3-libtorrent opentracker socat psmisc ffmpeg mpv
  nginx-light qbittorrent-nox rtorrent curl strace chromium chromium-driver python3-selenium asciidoctor systemd openssl)
if [[ "${1:-}" == "--bench" ]]; then
  PACKAGES+=(btfs time ctorrent)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "torfs: missing packages; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}" >&2
# Keep packages such as opentracker from starting a system service on install.
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
