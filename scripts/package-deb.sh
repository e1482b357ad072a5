#!/usr/bin/env bash
# Builds target/torfs_<version>_all.deb with dpkg-deb: the launcher (scripts/torfs, unchanged)
# and its jar in /usr/share/torfs, /usr/bin/torfs, /sbin/mount.fuse.torfs (mount -t fuse.torfs
# and fstab lines), the torfs@.service template, man pages and bash completion. The Java
# runtime, libfuse2 and fuse3 are dependencies, not bundled. Needs asciidoctor (the man pages:
# picocli writes them as AsciiDoc in mvn package). Prints the .deb's path.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v asciidoctor > /dev/null \
  || { echo "torfs: package-deb.sh needs asciidoctor (apt-get install asciidoctor)" >&2; exit 1; }
# the launcher builds target/torfs.jar when it is stale, and with it target/man and target/completion
version=$(scripts/torfs --version | sed -n 's/^torfs //p')
[[ -n $version ]] || { echo "torfs: no version from torfs --version" >&2; exit 1; }
if [[ ! -s target/completion/torfs || ! -s target/man/torfs.adoc ]]; then
  mvn -B -q -DskipTests package >&2
fi

STAGE="$(mktemp -d /tmp/torfs-deb.XXXXXX)"
trap 'rm -rf "$STAGE"' EXIT
R="$STAGE/root"
install -D -m 644 target/torfs.jar "$R/usr/share/torfs/torfs.jar"
install -D -m 755 scripts/torfs "$R/usr/share/torfs/torfs"  # beside the jar: it runs that one
# the class-data archive fits only the jar at its installed path: postinst makes it there
install -D -m 755 scripts/cds-archive.sh "$R/usr/share/torfs/cds-archive.sh"
mkdir -p "$R/usr/bin" "$R/sbin"
ln -s ../share/torfs/torfs "$R/usr/bin/torfs"
ln -s /usr/bin/torfs "$R/sbin/mount.fuse.torfs"  # mount(8)'s helper for type fuse.torfs
install -D -m 644 packaging/torfs@.service "$R/lib/systemd/system/torfs@.service"
install -D -m 644 packaging/example.conf "$R/usr/share/doc/torfs/examples/mnt-films.conf"
install -D -m 644 README.md "$R/usr/share/doc/torfs/README.md"
gzip -9n "$R/usr/share/doc/torfs/README.md"
install -D -m 644 target/completion/torfs "$R/usr/share/bash-completion/completions/torfs"
mkdir -p "$R/usr/share/man/man1"
asciidoctor -b manpage -a reproducible -a mansource="torfs $version" -a manmanual="TorFS Manual" \
  -D "$R/usr/share/man/man1" target/man/*.adoc
gzip -9n "$R"/usr/share/man/man1/*.1

mkdir -p "$R/DEBIAN"
cat > "$R/DEBIAN/control" <<CONTROL
Package: torfs
Version: $version
Architecture: all
Maintainer: TorFS developers <torfs@localhost>
Section: utils
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$R" | cut -f1)
Depends: openjdk-17-jre-headless | java17-runtime-headless, libfuse2, fuse3
Recommends: libssl3
Description: mount a torrent and read its files while they download
 TorFS is a read-only userspace filesystem (FUSE) for BitTorrent: a .torrent or a
 magnet link mounts as a directory tree, and reads fetch the pieces they need first.
 Mounts from fstab (type fuse.torfs) and a systemd template unit, torfs@.service.
CONTROL
# systemd learns of the template unit without a reboot; postinst makes the class-data archive
# the launcher starts its JVMs with (scripts/cds-archive.sh: a few seconds; without it torfs
# only starts slower), postrm removes it
for script in postinst postrm; do
  printf '#!/bin/sh\nset -e\nif [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi\n' \
    > "$R/DEBIAN/$script"
  chmod 755 "$R/DEBIAN/$script"
done
# (and again when a Java runtime under /usr/lib/jvm changes: the archive fits only the JVM
# that made it, and a JVM given one that does not fit starts without any archive, its own too)
echo "interest-noawait /usr/lib/jvm" > "$R/DEBIAN/triggers"
cat >> "$R/DEBIAN/postinst" <<'POSTINST'
if [ "$1" = configure ] || [ "$1" = triggered ]; then
  mkdir -p /var/cache/torfs
  /usr/share/torfs/cds-archive.sh /usr/share/torfs/torfs.jar /var/cache/torfs/torfs.jsa || true
fi
POSTINST
cat >> "$R/DEBIAN/postrm" <<'POSTRM'
if [ "$1" = remove ] || [ "$1" = purge ]; then
  rm -f /var/cache/torfs/torfs.jsa /var/cache/torfs/torfs-many.jsa
  rmdir /var/cache/torfs 2> /dev/null || true
fi
POSTRM

DEB="$ROOT/target/torfs_${version}_all.deb"
dpkg-deb --root-owner-group -Zxz --build "$R" "$DEB" > /dev/null
echo "$DEB"
