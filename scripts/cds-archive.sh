#!/usr/bin/env bash
# cds-archive.sh JAR ARCHIVE: makes the class-data-sharing archive scripts/torfs starts its JVMs
# with (-XX:SharedArchiveFile): the JDK's and torfs's classes that a training run of JAR loads
# (torfs.app.CdsTraining: create, info, verify and a download over 127.0.0.1 from a seeder in
# the same process), stored parsed and verified. A static archive (-Xshare:dump from the
# training's class list), not Java 17's dynamic one: that leaves out classes of class-file
# version 49 and older, picocli's among them, the command line's whole parser. Run by
# `mvn package` (target/torfs.jsa) and by the .deb's postinst (/var/cache/torfs/torfs.jsa).
# The archive only fits the jar at that very path as it was then (the JVM checks its path,
# size and mtime) and the JVM that made it; the JVM skips one that does not fit, silently.
# Written atomically (renamed into place, so a running JVM keeps the file it mapped: one
# truncated under it would die of SIGBUS) and tried once with -Xshare:on first; a failed
# training leaves no archive and still exits 0 (the launcher then starts without one).
set -uo pipefail
jar=$(readlink -f "$1")
out=$2
tmp="$out.tmp.$$"
trap 'rm -f "$tmp" "$tmp.classes"' EXIT
unset TORFS_TRACE_START TORFS_JAVA_OPTS  # the training's output is its own
# loopback only, as every torfs test: the training dials nothing else anyway, and where this
# runs as root it runs in a network namespace that has nothing but loopback
loopback_only() {
  if command -v unshare > /dev/null && command -v ip > /dev/null && unshare --net true 2> /dev/null; then
    unshare --net --fork sh -c 'ip link set lo up && exec "$@"' sh "$@"
  else
    "$@"
  fi
}
if TORFS_LOOPBACK_ONLY=1 loopback_only java -Xmx256m -XX:TieredStopAtLevel=1 -XX:DumpLoadedClassList="$tmp.classes" \
      -jar "$jar" --cds-training \
    && java -Xshare:dump -XX:SharedClassListFile="$tmp.classes" -XX:SharedArchiveFile="$tmp" \
      -Xlog:cds*=off -cp "$jar" > /dev/null \
    && [[ -s $tmp ]] \
    && java -Xshare:on -XX:SharedArchiveFile="$tmp" -jar "$jar" --version > /dev/null; then
  # (the trial above: -Xshare:on fails unless the archive maps and fits this jar and JVM)
  mv -f "$tmp" "$out"
else
  echo "torfs: no class-data archive for $jar (the launcher starts without one)" >&2
fi
exit 0
